"""Reference data of the Wuxi 2022 demo: regions, departments, leaders, libraries and targets.

Everything here is configuration that another city would replace with its own. Names of
departments, libraries and figures of targets follow 锡政发〔2022〕15号; people are fictional.
"""
import datetime as dt
from decimal import Decimal

from faims.org.choices import DepartmentKind, RegionLevel
from faims.projects.choices import Category, LibraryKind, LibraryLevel
from faims.targets.choices import TargetPeriod, TargetScope

YEAR = 2022
# The demo programme is shown as of the end of Q3 2022: no actual date lies after it.
AS_OF = dt.date(2022, 9, 30)
CITY_CODE = "320200"

# code, name, level, centre (longitude, latitude), spread in degrees for map positions
REGIONS = [
    (CITY_CODE, "无锡市", RegionLevel.CITY, (120.300, 31.570), 0.06),
    ("320205", "锡山区", RegionLevel.DISTRICT, (120.360, 31.600), 0.05),
    ("320206", "惠山区", RegionLevel.DISTRICT, (120.300, 31.680), 0.05),
    ("320211", "滨湖区", RegionLevel.DISTRICT, (120.240, 31.500), 0.05),
    ("320213", "梁溪区", RegionLevel.DISTRICT, (120.300, 31.580), 0.02),
    ("320214", "新吴区", RegionLevel.DISTRICT, (120.420, 31.530), 0.04),
    ("320281", "江阴市", RegionLevel.COUNTY_CITY, (120.290, 31.840), 0.10),
    ("320282", "宜兴市", RegionLevel.COUNTY_CITY, (119.820, 31.360), 0.12),
    # 经开区 (无锡经济开发区) is a functional zone without a GB/T 2260 code; 320271 is a local code
    # chosen from the range the standard leaves unused under 320200.
    ("320271", "经开区", RegionLevel.FUNCTIONAL, (120.330, 31.460), 0.03),
]
SUB_REGION_CODES = [code for code, *_ in REGIONS if code != CITY_CODE]

# key, name, kind — all of them city departments (region 无锡市)
DEPARTMENTS = [
    ("fgw", "市发展改革委", DepartmentKind.COMPREHENSIVE),
    ("zrzy", "市自然资源规划局", DepartmentKind.INDUSTRY),
    ("sthj", "市生态环境局", DepartmentKind.INDUSTRY),
    ("zjj", "市住房城乡建设局", DepartmentKind.INDUSTRY),
    ("jtj", "市交通运输局", DepartmentKind.INDUSTRY),
    ("slj", "市水利局", DepartmentKind.INDUSTRY),
    ("xzsp", "市行政审批局", DepartmentKind.APPROVAL),
    ("gxj", "市工业和信息化局", DepartmentKind.INDUSTRY),
    ("swj", "市商务局", DepartmentKind.INDUSTRY),
    ("kjj", "市科技局", DepartmentKind.INDUSTRY),
    ("czj", "市财政局", DepartmentKind.COMPREHENSIVE),
    ("tjj", "市统计局", DepartmentKind.COMPREHENSIVE),
    ("szyl", "市市政园林局", DepartmentKind.INDUSTRY),
    ("jyj", "市教育局", DepartmentKind.INDUSTRY),
    ("wjw", "市卫生健康委", DepartmentKind.INDUSTRY),
    ("wglj", "市文广旅游局", DepartmentKind.INDUSTRY),
    ("mzj", "市民政局", DepartmentKind.INDUSTRY),
    ("dsj", "市大数据管理局", DepartmentKind.INDUSTRY),
    ("yjj", "市应急局", DepartmentKind.INDUSTRY),
    ("cgj", "市城管局", DepartmentKind.INDUSTRY),
    ("rsj", "市人力资源社会保障局", DepartmentKind.INDUSTRY),
    ("jrj", "市地方金融监管局", DepartmentKind.INDUSTRY),
    ("swuj", "市税务局", DepartmentKind.OTHER),
    ("gzw", "市国资委", DepartmentKind.COMPREHENSIVE),
    ("zfb", "市政府办公室", DepartmentKind.COMPREHENSIVE),
    ("dcs", "市政府督查室", DepartmentKind.COMPREHENSIVE),
    ("jgzx", "市建管中心", DepartmentKind.OTHER),
    ("gsl", "市工商联", DepartmentKind.OTHER),
    ("jcjt", "市机场集团", DepartmentKind.STATE_ENTERPRISE),
    ("dtjt", "市地铁集团", DepartmentKind.STATE_ENTERPRISE),
    ("wljt", "市文旅集团", DepartmentKind.STATE_ENTERPRISE),
    ("gdgs", "无锡供电公司", DepartmentKind.UTILITY),
    ("dx", "中国电信无锡分公司", DepartmentKind.UTILITY),
    ("yd", "中国移动无锡分公司", DepartmentKind.UTILITY),
    ("lt", "中国联通无锡分公司", DepartmentKind.UTILITY),
]
# Each 市(县)/区 government answers for its own projects (附件二(一)); they are departments too.
REGION_GOVERNMENT_SUFFIX = "人民政府"
REGION_GOVERNMENT_NAMES = {"经开区": "经开区管委会"}

# The 挂钩市领导: clearly fictional names (the heavenly stems), real titles.
# key, name, title, the domain of projects a leader is linked to
LEADERS = [
    ("mayor", "赵甲", "市长", "flagship"),
    ("executive", "钱乙", "常务副市长", "flagship"),
    ("industry", "孙丙", "副市长", "industry"),
    ("urban", "李丁", "副市长", "infrastructure"),
    ("social", "周戊", "副市长", "livelihood"),
    ("ecology", "吴己", "副市长", "ecology"),
    ("innovation", "郑庚", "副市长", "innovation"),
]
# Service commissioners come from these departments (附件二(九)).
COMMISSIONER_DEPARTMENTS = ["gxj", "swj", "xzsp", "kjj"]
COMMISSIONER_COUNT = 20

# key, name, level, kind, year (None: a rolling library), description
LIBRARIES = [
    ("szd", "省重大项目", LibraryLevel.PROVINCIAL, LibraryKind.IMPLEMENTATION, YEAR,
     "2022年省重大项目清单中的实施项目。"),
    ("cy", "市级重大产业项目", LibraryLevel.MUNICIPAL, LibraryKind.IMPLEMENTATION, YEAR,
     "总投资5亿元以上战略性新兴产业和先进制造业项目、2亿元以上现代服务业项目、1亿元以上创新载体项目，每月滚动纳入。"),
    ("zf", "市级政府投资项目", LibraryLevel.MUNICIPAL, LibraryKind.IMPLEMENTATION, YEAR,
     "2022年市级政府投资计划项目。"),
    ("xjj", "新基建重点项目", LibraryLevel.MUNICIPAL, LibraryKind.IMPLEMENTATION, YEAR,
     "信息基础设施、融合基础设施、创新基础设施等新基建重点项目。"),
    ("k102", "“十四五”102项重点工程", LibraryLevel.MUNICIPAL, LibraryKind.RESERVE, None,
     "依托国家重大建设项目库建立的“十四五”规划重点工程项目库。"),
    ("zyys", "中央预算内投资项目", LibraryLevel.NATIONAL, LibraryKind.RESERVE, YEAR,
     "申报和使用中央预算内投资的项目。"),
    ("zxz", "地方政府专项债券项目", LibraryLevel.PROVINCIAL, LibraryKind.RESERVE, YEAR,
     "申报和使用地方政府专项债券的项目。"),
    ("yd", "建设用地保障项目", LibraryLevel.MUNICIPAL, LibraryKind.IMPLEMENTATION, YEAR,
     "2022年拟新开工的市级政府投资项目和省、市重大项目，建设用地应保尽保。"),
    ("gx", "城市更新项目", LibraryLevel.MUNICIPAL, LibraryKind.RESERVE, None, "全周期城市更新项目库。"),
    ("yy", "亿元以上产业项目", LibraryLevel.MUNICIPAL, LibraryKind.IMPLEMENTATION, YEAR,
     "各地区2022年拟建设的亿元以上产业项目，按月监测调度。"),
]

# The policy's library sizes: 27 省重大 (18 of them new starts), 281 市级重大产业, 183 市级政府投资.
LIBRARY_COUNTS = {"szd": 27, "cy": 281, "zf": 183, "k102": 102}
SZD_NEW_COUNT = 18


def wan(yi) -> Decimal:
    """亿元 → 万元."""
    return (Decimal(str(yi)) * 10_000).quantize(Decimal("1"))


# The 2022 targets (一)(二)(十八)(十九), 附件二(一)(三)(六): kpi key, scope, scope key, period, value, text
CITY_TARGET_YI = 4500
TARGETS = [
    ("annual_target", TargetScope.CITY, None, TargetPeriod.YEAR, wan(CITY_TARGET_YI), "全市固定资产投资"),
    ("annual_target", TargetScope.LIBRARY, "zf", TargetPeriod.YEAR, wan(350), "市级政府投资项目完成投资"),
    ("annual_target", TargetScope.LIBRARY, "szd", TargetPeriod.YEAR, wan(188), "省重大项目完成投资"),
    ("annual_target", TargetScope.LIBRARY, "cy", TargetPeriod.YEAR, wan(1350), "市级重大产业项目完成投资"),
    ("annual_target", TargetScope.LIBRARY, "xjj", TargetPeriod.YEAR, wan(290), "新型基础设施投资"),
    ("annual_target", TargetScope.CATEGORY, Category.INDUSTRY, TargetPeriod.YEAR, wan(1800), "工业投资"),
    ("new_start_rate", TargetScope.LIBRARY, "cy", TargetPeriod.H1, Decimal("0.75"), "新建项目二季度开工率"),
    ("new_start_rate", TargetScope.LIBRARY, "cy", TargetPeriod.Q3, Decimal("1"), "新建项目三季度全部开工"),
    ("new_start_rate", TargetScope.LIBRARY, "zf", TargetPeriod.H1, Decimal("0.75"), "新建项目半年度开工率"),
    ("new_start_rate", TargetScope.LIBRARY, "zf", TargetPeriod.Q3, Decimal("1"), "新建项目三季度全部开工"),
    ("new_start_rate", TargetScope.LIBRARY, "szd", TargetPeriod.H1, Decimal("0.85"), "新建省重大项目半年度开工率"),
    ("new_start_rate", TargetScope.LIBRARY, "szd", TargetPeriod.Q3, Decimal("1"), "新建省重大项目三季度全部开工"),
    ("completion_rate", TargetScope.LIBRARY, "szd", TargetPeriod.H1, Decimal("0.6"), "省重大项目半年度投资进度"),
    ("completion_rate", TargetScope.LIBRARY, "zf", TargetPeriod.H1, Decimal("0.5"), "政府投资项目半年度投资进度"),
    ("filed_10yi_count", TargetScope.CITY, None, TargetPeriod.YEAR, Decimal(80), "招引备案10亿元以上项目"),
    ("filed_50yi_count", TargetScope.CITY, None, TargetPeriod.YEAR, Decimal(15), "招引备案50亿元以上项目"),
    ("filed_100yi_count", TargetScope.CITY, None, TargetPeriod.YEAR, Decimal(8), "招引备案100亿元以上项目"),
]
# The city's 4500亿 split over the regions (亿元); the split sums to the city's figure.
REGION_TARGETS_YI = {
    "320205": 470, "320206": 470, "320211": 520, "320213": 300, "320214": 1000,
    "320281": 950, "320282": 480, "320271": 310,
}
# The "15151" recruitment tiers of 2022 filings: at least 10亿 / 50亿 / 100亿 (附件二(二)).
FILED_TIER_COUNTS = {10: 80, 50: 15, 100: 8}
