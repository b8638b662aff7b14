"""The projects 锡政发〔2022〕15号 names, with illustrative figures.

The names, places and library lists come from the policy; total investment, annual plans and
dates are plausible illustrations for the demo, not published figures.
"""
from dataclasses import dataclass, field

from faims.projects.choices import Category as C
from faims.projects.choices import InvestmentType as T

# key, name, region code, registration prefix (91 enterprise, 12 public institution)
UNITS = [
    ("dtjt", "无锡地铁集团有限公司", "320200", "91"),
    ("jtjt", "无锡市交通产业集团有限公司", "320200", "91"),
    ("tljs", "无锡市铁路建设发展有限公司", "320200", "91"),
    ("jcjt", "无锡苏南国际机场集团有限公司", "320214", "91"),
    ("wljt", "无锡市文化旅游发展集团有限公司", "320200", "91"),
    ("jgzx", "无锡市城市重点建设项目管理中心", "320200", "12"),
    ("slgc", "无锡市水利工程建设管理中心", "320200", "12"),
    ("jygc", "江阴市交通产业集团有限公司", "320281", "91"),
    ("thxc", "无锡太湖新城发展集团有限公司", "320271", "91"),
    ("bhcj", "滨湖区城市建设发展有限公司", "320211", "91"),
    ("lxcf", "梁溪区城市发展集团有限公司", "320213", "91"),
    ("xwkc", "新吴区科技创新发展有限公司", "320214", "91"),
    ("xskc", "锡山区科技创新发展有限公司", "320205", "91"),
    ("huahong", "华虹半导体（无锡）有限公司", "320214", "91"),
    ("hynix", "SK海力士半导体（中国）有限公司", "320214", "91"),
    ("nianhua", "无锡拈花湾文化投资发展有限公司", "320211", "91"),
    ("sxh", "无锡尚贤湖基金发展有限公司", "320211", "91"),
    ("dianying", "无锡国家数字电影产业园发展有限公司", "320211", "91"),
    ("thlab", "深海技术科学太湖实验室", "320211", "12"),
    ("xkw", "江阴霞客湾科学城建设发展有限公司", "320281", "91"),
    ("tdkj", "宜兴陶都科技新城建设发展有限公司", "320282", "91"),
]


@dataclass
class Named:
    name: str
    region: str
    category: str
    investment_type: str
    total_yi: float
    plan_yi: float
    new: bool
    libraries: tuple
    departments: tuple
    leader: str
    unit: str
    filed: str | None  # actual filing/approval date; None: not yet filed (no project code)
    start: str | None = None  # actual start date; None: not started by the demo date
    quarter: int | None = None  # planned start quarter of a new project
    finish: str = "2025-12-31"  # planned completion
    chain: str = ""
    industry_code: str = "48"  # the 国民经济行业 part of the project code
    scale: str = ""
    extra: dict = field(default_factory=dict)


INFRA, LIVE, ECO, IND, INNO = C.INFRASTRUCTURE, C.LIVELIHOOD, C.ECOLOGY, C.INDUSTRY, C.INNOVATION
GOV, ENT = T.GOVERNMENT, T.ENTERPRISE

NAMED = [
    # 交通 (十三)(十四)
    Named("锡澄S1线", "320200", INFRA, GOV, 232, 22, False, ("szd", "zf", "k102", "zxz"), ("jtj", "fgw", "dtjt"),
          "executive", "dtjt", "2019-12-20", "2020-06-28", finish="2024-01-31", industry_code="54",
          scale="线路全长约30.4公里，2022年实现全线贯通。"),
    Named("地铁4号线二期", "320200", INFRA, GOV, 62, 5, True, ("zf", "k102", "zxz", "yd"), ("jtj", "zrzy", "dtjt"),
          "urban", "dtjt", "2021-11-30", "2022-05-28", quarter=2, finish="2026-06-30", industry_code="54"),
    Named("地铁5号线", "320200", INFRA, GOV, 258, 6, True, ("szd", "zf", "k102", "yd"), ("jtj", "zrzy", "dtjt"),
          "executive", "dtjt", "2021-12-15", "2022-09-16", quarter=3, finish="2027-12-31", industry_code="54"),
    Named("锡宜S2线一期", "320200", INFRA, GOV, 196, 5, True, ("szd", "zf", "k102", "zxz"), ("jtj", "zrzy", "dtjt"),
          "urban", "dtjt", "2022-03-18", "2022-09-26", quarter=3, finish="2027-12-31", industry_code="54"),
    Named("江阴第二过江通道", "320281", INFRA, GOV, 182, 18, False, ("szd", "k102", "zyys"), ("jtj", "fgw"),
          "executive", "jygc", "2020-09-25", "2021-03-30", finish="2025-12-31", industry_code="48"),
    Named("江阴第三过江通道", "320281", INFRA, GOV, 120, 8, False, ("szd", "k102"), ("jtj", "fgw"),
          "urban", "jygc", "2021-04-20", "2021-09-28", finish="2026-06-30", industry_code="48"),
    Named("盐泰锡常宜铁路", "320200", INFRA, GOV, 160, 6, True, ("szd", "zf", "k102", "zyys", "yd"),
          ("jtj", "zrzy", "fgw"),
          "executive", "tljs", "2022-02-28", "2022-06-28", quarter=2, finish="2026-12-31", industry_code="53",
          scale="无锡段，设计时速350公里。"),
    Named("南沿江铁路", "320200", INFRA, GOV, 155, 12, False, ("szd", "k102", "zyys"), ("jtj", "fgw"),
          "urban", "tljs", "2018-12-20", "2019-06-28", finish="2023-09-30", industry_code="53", scale="无锡段。"),
    Named("钱荣路快速化", "320211", INFRA, GOV, 48, 6, True, ("zf", "zxz", "yd"), ("jtj", "szyl", "zrzy"),
          "urban", "jgzx", "2022-05-26", "2022-09-28", quarter=3, finish="2024-12-31",
          scale="原计划2023年开工，提前至2022年开工建设。"),
    Named("锡宜高速扩建", "320200", INFRA, GOV, 112, 6, True, ("szd", "zf", "k102", "zxz"), ("jtj", "fgw"),
          "urban", "jtjt", "2022-01-25", "2022-06-18", quarter=2, finish="2025-12-31"),
    Named("锡太高速", "320214", INFRA, GOV, 68, 4, True, ("szd", "k102", "zxz"), ("jtj", "fgw"),
          "urban", "jtjt", "2022-04-15", "2022-09-08", quarter=3, finish="2025-12-31"),
    Named("312国道改扩建", "320205", INFRA, GOV, 42, 6, False, ("zf", "zyys", "zxz"), ("jtj", "szyl"),
          "urban", "jtjt", "2020-10-20", "2021-04-16", finish="2023-12-31"),
    Named("高浪路快速化", "320211", INFRA, GOV, 38, 5, False, ("zf", "xjj", "zxz"), ("jtj", "szyl"),
          "urban", "jgzx", "2021-03-10", "2021-08-18", finish="2023-06-30",
          scale="同步实施快速路智能交通系统提升工程。"),
    Named("城市货运通道外移工程", "320200", INFRA, GOV, 55, 2, True, ("zf", "k102"), ("jtj", "zrzy"),
          "urban", "jgzx", "2022-08-30", None, quarter=4, finish="2026-12-31"),
    Named("快速中环改造提升工程", "320200", INFRA, GOV, 35, 4, True, ("zf", "xjj"), ("jtj", "szyl"),
          "urban", "jgzx", "2022-02-18", "2022-04-20", quarter=2, finish="2024-06-30"),
    Named("硕放机场T3航站楼", "320214", INFRA, GOV, 95, 1, True, ("k102", "zyys"), ("fgw", "jcjt", "zrzy"),
          "executive", "jcjt", None, None, quarter=4, finish="2027-12-31", industry_code="56",
          scale="推进规划建设工作，2022年开展前期工作。"),
    # 城市更新与民生 (十一)(十五)
    Named("火车站南广场更新改造", "320213", LIVE, GOV, 28, 4, False, ("zf", "gx", "yd"), ("zjj", "zrzy"),
          "urban", "lxcf", "2021-06-30", "2021-11-26", finish="2023-12-31", industry_code="78"),
    Named("无锡文化艺术中心", "320271", LIVE, GOV, 45, 3, True, ("zf", "yd"), ("wglj", "zjj", "zrzy"),
          "social", "thxc", "2022-07-28", None, quarter=4, finish="2025-12-31", industry_code="88",
          scale="原计划2023年或2024年开工，提前至2022年开工建设。"),
    Named("无锡奥体中心", "320271", LIVE, GOV, 75, 6, True, ("zf", "yd", "zxz"), ("wglj", "zjj", "zrzy"),
          "social", "thxc", "2022-03-30", "2022-08-18", quarter=3, finish="2025-12-31", industry_code="89"),
    Named("东南大学无锡校区", "320211", LIVE, GOV, 36, 6, False, ("zf",), ("jyj", "zjj"),
          "social", "jgzx", "2020-06-16", "2020-12-18", finish="2023-08-31", industry_code="83"),
    Named("无锡学院三期", "320205", LIVE, GOV, 18, 4, False, ("zf", "zxz"), ("jyj", "zjj"),
          "social", "jgzx", "2021-05-20", "2021-10-15", finish="2023-08-31", industry_code="83"),
    Named("无锡美术馆", "320271", LIVE, GOV, 15, 1.5, True, ("zf",), ("wglj", "zjj"),
          "social", "thxc", "2022-05-20", "2022-09-29", quarter=3, finish="2025-06-30", industry_code="88"),
    Named("无锡自然博物馆", "320271", LIVE, GOV, 12, 1.2, True, ("zf",), ("wglj", "zjj"),
          "social", "thxc", "2022-05-20", "2022-09-29", quarter=3, finish="2025-06-30", industry_code="88"),
    Named("无锡科技馆", "320271", LIVE, GOV, 20, 1, True, ("zf",), ("kjj", "zjj"),
          "social", "thxc", None, None, quarter=4, finish="2026-06-30", industry_code="88", scale="启动建设。"),
    Named("市妇儿中心", "320271", LIVE, GOV, 32, 1.5, True, ("zf", "zyys"), ("wjw", "zjj"),
          "social", "jgzx", "2022-08-12", None, quarter=4, finish="2026-06-30", industry_code="84"),
    Named("市公共卫生中心", "320206", LIVE, GOV, 22, 2, True, ("zf", "zyys", "zxz"), ("wjw", "zjj"),
          "social", "jgzx", "2022-04-28", "2022-09-20", quarter=3, finish="2025-06-30", industry_code="84"),
    Named("惠山古镇三期", "320213", LIVE, ENT, 25, 4, False, ("zf", "gx"), ("wglj", "zjj", "wljt"),
          "social", "wljt", "2020-12-25", "2021-05-18", finish="2023-12-31", industry_code="90"),
    Named("市城市运行管理中心", "320271", INFRA, GOV, 8, 3, True, ("zf", "xjj"), ("dsj", "fgw"),
          "innovation", "jgzx", "2022-02-25", "2022-05-10", quarter=2, finish="2023-06-30", industry_code="65"),
    # 河湖 (十二)
    Named("大运河梁溪河整治提升“一号工程”", "320213", ECO, GOV, 60, 8, False, ("zf", "gx", "zxz"),
          ("slj", "zjj", "szyl"),
          "ecology", "lxcf", "2021-01-20", "2021-06-18", finish="2024-12-31", industry_code="78"),
    Named("太湖生态清淤二轮二期", "320211", ECO, GOV, 3.2, 1.6, False, ("zf", "zyys"), ("slj", "sthj"),
          "ecology", "slgc", "2021-07-15", "2021-11-10", finish="2022-12-31", industry_code="76",
          scale="清淤150万立方米。"),
    # 产业 (九)(十)(十七)
    Named("华虹二期（集成电路）", "320214", IND, ENT, 450, 15, True, ("szd", "cy", "yy", "yd"),
          ("gxj", "fgw", "zrzy", "sthj"),
          "executive", "huahong", "2022-06-20", "2022-08-30", quarter=3, finish="2025-12-31", chain="集成电路",
          industry_code="39", scale="12英寸集成电路生产线，争取列入国家能耗单列范围。"),
    Named("海力士七期", "320214", IND, ENT, 160, 20, False, ("szd", "cy", "yy", "yd"), ("gxj", "fgw", "sthj"),
          "executive", "hynix", "2021-11-18", "2021-12-28", finish="2024-06-30", chain="集成电路",
          industry_code="39", scale="存储器生产线技术升级，争取列入国家能耗单列范围。"),
    Named("大拈花湾", "320211", IND, ENT, 120, 10, False, ("szd", "cy", "yy"), ("wglj", "zrzy", "swj"),
          "social", "nianhua", "2020-04-26", "2020-09-28", finish="2024-12-31", chain="现代服务业",
          industry_code="90"),
    Named("无锡太湖湾海空天装备技术产业园", "320211", IND, ENT, 55, 6, True, ("szd", "cy", "yy", "yd"),
          ("gxj", "kjj", "zrzy"),
          "industry", "bhcj", "2022-01-12", "2022-06-08", quarter=2, finish="2025-06-30", chain="高端装备",
          industry_code="37"),
    Named("太湖实验室", "320211", INNO, GOV, 35, 4, False, ("szd", "cy", "xjj"), ("kjj", "fgw"),
          "innovation", "thlab", "2020-12-30", "2021-06-18", finish="2024-12-31", chain="创新载体",
          industry_code="73", scale="深海技术科学太湖实验室，争创国家实验室。"),
    Named("尚贤湖基金PARK二期", "320211", IND, ENT, 30, 6, True, ("cy", "yy"), ("jrj", "fgw", "zrzy"),
          "industry", "sxh", "2022-03-08", "2022-06-15", quarter=2, finish="2024-12-31", chain="现代服务业",
          industry_code="72", scale="力争注册基金总规模超过4000亿元。"),
    Named("国家数字电影产业园三期", "320211", IND, ENT, 40, 8, False, ("cy", "yy", "xjj"), ("wglj", "gxj"),
          "innovation", "dianying", "2021-03-26", "2021-09-16", finish="2024-06-30", chain="数字文化",
          industry_code="87"),
    Named("华为5G科创中心", "320214", INNO, ENT, 22, 6, True, ("cy", "yy", "xjj"), ("gxj", "kjj"),
          "innovation", "xwkc", "2022-02-16", "2022-04-28", quarter=2, finish="2024-06-30", chain="物联网",
          industry_code="65"),
    Named("太湖湾信息园", "320211", INNO, ENT, 26, 7, False, ("cy", "xjj"), ("kjj", "gxj"),
          "innovation", "bhcj", "2021-02-05", "2021-07-20", finish="2023-12-31", chain="软件和信息技术服务",
          industry_code="65"),
    Named("雪浪小镇未来中心", "320271", INNO, ENT, 15, 4, False, ("cy", "xjj"), ("kjj", "gxj"),
          "innovation", "thxc", "2021-05-12", "2021-10-22", finish="2023-12-31", chain="创新载体", industry_code="73"),
    Named("深海装备技术转化基地", "320211", INNO, ENT, 12, 3, True, ("cy", "yy"), ("kjj", "gxj"),
          "innovation", "bhcj", "2022-05-06", "2022-08-08", quarter=3, finish="2024-12-31", chain="高端装备",
          industry_code="73"),
    Named("智能网联车检测基地", "320205", INNO, ENT, 10, 3, False, ("cy", "xjj"), ("gxj", "jtj"),
          "innovation", "xskc", "2021-07-22", "2021-12-16", finish="2023-12-31", chain="车联网", industry_code="74"),
    Named("太湖国际未来食品科创中心", "320211", INNO, ENT, 16, 4, True, ("cy",), ("kjj", "swj"),
          "innovation", "bhcj", "2022-03-22", "2022-05-18", quarter=2, finish="2024-12-31", chain="生物医药",
          industry_code="73"),
    Named("黄金湾科创园", "320213", INNO, ENT, 30, 5, False, ("cy", "gx"), ("kjj", "zrzy"),
          "innovation", "lxcf", "2020-11-18", "2021-03-26", finish="2024-06-30", chain="创新载体", industry_code="73"),
    Named("霞客湾科学城核心区", "320281", INNO, ENT, 50, 8, False, ("cy", "yy"), ("kjj", "zrzy"),
          "innovation", "xkw", "2021-01-28", "2021-06-30", finish="2025-12-31", chain="创新载体", industry_code="73"),
    Named("陶都科技新城启动区", "320282", INNO, ENT, 36, 6, True, ("cy", "yy", "yd"), ("kjj", "zrzy"),
          "innovation", "tdkj", "2022-02-22", "2022-05-26", quarter=2, finish="2025-12-31", chain="创新载体",
          industry_code="73"),
]
