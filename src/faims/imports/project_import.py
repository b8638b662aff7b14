"""Project lists: each row creates or updates a project, its annual plan for the year and its library entry.

Rows match projects by 项目代码, else by exact name within the uploader's scope. A blank cell leaves
the stored value as it is; a project list never clears data.
"""
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from faims.core.permissions import CHANGE
from faims.core.services import BatchError
from faims.core.validators import validate_project_code
from faims.org import services as org_services
from faims.org.models import Department, Organisation, Person, Region
from faims.projects import services as project_services
from faims.projects.choices import Category, InvestmentType, LibraryLevel, LifecycleStatus, Nature, StartKind
from faims.projects.models import AnnualPlan, Library, Membership, Project

from .columns import PROJECT_KEYS
from .plans import INVALID, NEW, UNCHANGED, UPDATED, Plan, Planner, RowPlan, apply_in_chunks

START_KINDS = {
    "新建": StartKind.NEW, "新开工": StartKind.NEW, "计划新开工": StartKind.NEW, "新建项目": StartKind.NEW,
    "新开工项目": StartKind.NEW, "续建": StartKind.CONTINUING, "续建项目": StartKind.CONTINUING,
    "new": StartKind.NEW, "continuing": StartKind.CONTINUING,
}
# Natures other than 新建 say nothing about new start versus continuing.
NATURES = {str(label): value for value, label in Nature.choices if value != Nature.NEW}
NATURES |= {"改建": Nature.RENOVATION, "技改": Nature.RENOVATION, "技术改造": Nature.RENOVATION}
CATEGORIES = {str(label): value for value, label in Category.choices} | {
    "产业项目": Category.INDUSTRY, "工业": Category.INDUSTRY, "制造业": Category.INDUSTRY, "服务业": Category.INDUSTRY,
    "先进制造业": Category.INDUSTRY, "战略性新兴产业": Category.INDUSTRY, "现代服务业": Category.INDUSTRY,
    "基础设施项目": Category.INFRASTRUCTURE, "交通": Category.INFRASTRUCTURE, "新基建": Category.INFRASTRUCTURE,
    "社会民生": Category.LIVELIHOOD, "社会事业": Category.LIVELIHOOD, "生态": Category.ECOLOGY,
    "环保": Category.ECOLOGY, "创新": Category.INNOVATION, "科创载体": Category.INNOVATION,
}
INVESTMENT_TYPES = {str(label): value for value, label in InvestmentType.choices} | {
    "政府": InvestmentType.GOVERNMENT, "政府性投资": InvestmentType.GOVERNMENT, "企业": InvestmentType.ENTERPRISE,
    "社会投资": InvestmentType.ENTERPRISE, "民间投资": InvestmentType.ENTERPRISE,
}
BEFORE_CONSTRUCTION = {LifecycleStatus.PLANNING, LifecycleStatus.RESERVE, LifecycleStatus.PREPARATION}
CHUNK = 2000


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def library_level(name: str) -> str:
    """The level a library's name announces (省重大项目 → 省级); 市级 otherwise."""
    if re.search(r"国家|中央", name):
        return LibraryLevel.NATIONAL
    if "省" in name:
        return LibraryLevel.PROVINCIAL
    if re.search(r"[县区]级", name):
        return LibraryLevel.COUNTY
    return LibraryLevel.MUNICIPAL


class ProjectPlanner(Planner):
    keys = PROJECT_KEYS

    def __init__(self, table, plan: Plan, *, user, year: int, library_name: str = "", region_code: str = "",
                 category: str = Category.INDUSTRY, investment_type: str = InvestmentType.ENTERPRISE):
        super().__init__(table, plan)
        self.user, self.year = user, year
        self.library_name = (library_name or "").strip()
        self.region_code = (region_code or "").strip()
        self.category, self.investment_type = category, investment_type
        self.reason = _("Excel 导入项目清单：%(file)s") % {"file": plan.file_name}

    # -- reference data, fetched once -------------------------------------------------------------
    def load(self) -> None:
        self.regions_by_code = {r.code: r for r in Region.objects.all()}
        self.regions_by_name = {}
        for region in self.regions_by_code.values():
            self.regions_by_name.setdefault(region.name, region)
            self.regions_by_name.setdefault(re.sub(r"[市区县]$", "", region.name), region)
        self.default_region = None
        if self.region_code:
            self.default_region = self.regions_by_code.get(self.region_code) or self.regions_by_name.get(
                self.region_code)
            if self.default_region is None:
                self.plan.error(_("默认地区“%(code)s”不存在，请填写区划代码（如 320213）或地区名称。") % {
                    "code": self.region_code})
        self.departments = {}
        for department in Department.objects.all():
            self.departments.setdefault(department.name, department)
            if department.short_name:
                self.departments.setdefault(department.short_name, department)
        self.leaders = {}
        for person in Person.objects.filter(is_leader=True):
            self.leaders.setdefault(person.name, []).append(person)
        self.library = None
        if self.library_name:
            self.library = Library.objects.filter(name=self.library_name, year=self.year).first()
            if self.library is None:
                self.plan.notices.append(_("将新建项目库“%(name)s”（%(year)s年，%(level)s）。") % {
                    "name": self.library_name, "year": self.year,
                    "level": LibraryLevel(library_level(self.library_name)).label})

    def build(self) -> Plan:
        if not self.has("name") and not self.has("code"):
            self.plan.error(_("表头缺少“项目名称”或“项目代码”列。"))
            return self.plan
        self.load()
        if not self.has("plan"):
            self.plan.notices.append(_("表中没有年度计划投资列，不建立或修改%(year)s年度计划。") % {"year": self.year})
        parsed = [self.parse(row) for row in self.table.rows]
        parsed = [p for p in parsed if p is not None]
        self.match(parsed)
        self.unregistered_units = 0
        for item in parsed:
            self.plan.rows.append(self.compare(item))
        self.plan.apply_rows = self.apply_rows
        if self.unregistered_units:
            self.plan.notices.append(_(
                "%(n)s 行的项目单位尚未登记，这些项目的项目单位暂不填写；登记项目单位需要统一社会信用代码，"
                "可在表中增加“统一社会信用代码”列后重新导入。") % {"n": self.unregistered_units})
        return self.plan

    # -- reading the rows -------------------------------------------------------------------------
    def parse(self, row) -> dict | None:
        errors = []
        item = {"row": row, "errors": errors}
        for key in ("code", "name", "unit", "unit_code", "scale", "location", "region", "leader", "department",
                    "total", "plan", "start_date", "planned_start", "planned_completion"):
            item[key] = self.read(row, key, errors=errors)
        item["category"] = self.read(row, "category", CATEGORIES, errors)
        item["investment_type"] = self.read(row, "investment_type", INVESTMENT_TYPES, errors)
        kind_text = self.read(row, "start_kind", errors=errors) if self.has("start_kind") else None
        item["start_kind"] = item["nature"] = None
        if kind_text:
            word = re.sub(r"\s+", "", kind_text)
            if word in START_KINDS:
                item["start_kind"] = START_KINDS[word]
            elif word in NATURES:
                item["nature"] = NATURES[word]
            else:
                message = _("“%(value)s”不是有效的建设性质，可填：新建、续建（或 扩建、改建和技术改造、迁建）。") % {
                    "value": word}
                self._cell_error(row, self.column("start_kind"), message, errors)
                item["start_kind_invalid"] = True
        if not item["name"] and not item["code"]:
            if any(item[k] is not None for k in ("total", "plan", "unit")):
                self.plan.error(_("缺少项目名称和项目代码。"), row.number, self.column("name") or self.column("code"))
                errors.append("name")
                item["name"] = ""
            else:
                return None  # a heading or note row (一、新建项目；填表人 …)
        item["name"] = item["name"] or ""
        if item["code"]:
            item["code"] = item["code"].upper().replace(" ", "")
            try:
                validate_project_code(item["code"])
            except ValidationError as exc:
                self._cell_error(row, self.column("code"), exc.messages[0], errors)
        return item

    # -- matching in bulk -------------------------------------------------------------------------
    def match(self, parsed) -> None:
        scope = Project.objects.restrict(self.user, CHANGE)
        codes = {p["code"] for p in parsed if p["code"]}
        by_code, foreign_codes = {}, set()
        for part in chunks(codes):
            for project in Project.objects.filter(code__in=part).select_related("unit", "region", "leader"):
                by_code[project.code] = project
        in_scope = set()
        for part in chunks([p.pk for p in by_code.values()]):
            in_scope.update(scope.filter(pk__in=part).values_list("pk", flat=True))
        foreign_codes = {code for code, project in by_code.items() if project.pk not in in_scope}
        names = {p["name"] for p in parsed if p["name"] and (not p["code"] or p["code"] not in by_code)}
        by_name = {}
        for part in chunks(names):
            for project in scope.filter(name__in=part).select_related("unit", "region", "leader"):
                by_name.setdefault(project.name, []).append(project)
        seen = {}
        for item in parsed:
            row = item["row"]
            project = None
            if item["code"] and item["code"] in foreign_codes:
                message = _("项目代码 %(code)s 已被您管辖范围以外的项目使用，不能导入。") % {"code": item["code"]}
                self._cell_error(row, self.column("code"), message, item["errors"])
            elif item["code"] and item["code"] in by_code:
                project = by_code[item["code"]]
            elif item["name"] in by_name:
                candidates = by_name[item["name"]]
                if len(candidates) > 1:
                    self._cell_error(row, self.column("name"), _(
                        "系统中有 %(n)s 个名为“%(name)s”的项目，请填写项目代码以区分。") % {
                        "n": len(candidates), "name": item["name"]}, item["errors"])
                else:
                    project = candidates[0]
            item["project"] = project
            key = ("pk", project.pk) if project else ("code", item["code"]) if item["code"] else ("name", item["name"])
            if key in seen:
                self.plan.error(_("与第%(first)s行是同一个项目（%(name)s），一个项目只能有一行。") % {
                    "first": seen[key], "name": item["name"] or item["code"]}, row.number,
                    self.column("code") if key[0] == "code" else self.column("name"))
                item["errors"].append("duplicate")
            else:
                seen[key] = row.number
        matched = [item["project"].pk for item in parsed if item.get("project")]
        self.plans, self.members, self.project_departments = {}, set(), {}
        for part in chunks(matched):
            for plan in AnnualPlan.objects.filter(project__in=part, year=self.year):
                self.plans[plan.project_id] = plan
            if self.library is not None:
                self.members.update(Membership.objects.filter(library=self.library, project__in=part)
                                    .values_list("project_id", flat=True))
            for project_id, department_id in Project.departments.through.objects.filter(
                    project_id__in=part).values_list("project_id", "department_id"):
                self.project_departments.setdefault(project_id, set()).add(department_id)
        unit_names = {p["unit"] for p in parsed if p["unit"]}
        unit_codes = {p["unit_code"].upper() for p in parsed if p["unit_code"]}
        self.units_by_name, self.units_by_code = {}, {}
        for part in chunks(unit_names):
            for organisation in Organisation.objects.filter(name__in=part):
                self.units_by_name.setdefault(organisation.name, []).append(organisation)
        for part in chunks(unit_codes):
            for organisation in Organisation.objects.filter(credit_code__in=part):
                self.units_by_code[organisation.credit_code] = organisation

    # -- comparing with what is stored ------------------------------------------------------------
    def compare(self, item) -> RowPlan:
        row = item["row"]
        project = item.get("project")
        result = RowPlan(row=row.number, name=item["name"] or (project.name if project else ""),
                         code=item["code"] or (project.code if project and project.code else ""))
        errors = item["errors"]
        creating = project is None
        if creating:
            project = Project(category=self.category, investment_type=self.investment_type)
        fields = {}
        if item["code"] and item["code"] != project.code:
            fields["code"] = item["code"]
        if item["name"] and item["name"] != project.name:
            fields["name"] = item["name"]
        for key, name in (("total", "total_investment"), ("scale", "scale"), ("location", "location"),
                          ("category", "category"), ("investment_type", "investment_type"), ("nature", "nature"),
                          ("planned_start", "planned_start_date"), ("planned_completion", "planned_completion_date"),
                          ("start_date", "actual_start_date")):
            if item[key] is not None and item[key] != getattr(project, name):
                fields[name] = item[key]
        region = self.region_for(item, project, creating, errors)
        if region is not None and region.pk != project.region_id:
            fields["region"] = region
        leader = self.leader_for(item, errors)
        if leader is not None and leader.pk != project.leader_id:
            fields["leader"] = leader
        unit, new_unit = self.unit_for(item, project, result)
        if unit is not None and unit.pk != project.unit_id:
            fields["unit"] = unit
        starts = fields.get("actual_start_date", project.actual_start_date)
        if starts and project.status in BEFORE_CONSTRUCTION:
            fields["status"] = LifecycleStatus.CONSTRUCTION
        if creating and item["total"] is None:
            self._cell_error(row, self.column("total"), _("新项目须填写总投资。") if self.has("total")
                             else _("新项目须填写总投资：表中没有“总投资”列。"), errors)
        departments = self.departments_for(item, result)
        old_departments = self.project_departments.get(project.pk, set()) if project.pk else set()
        set_departments = departments is not None and set(d.pk for d in departments) != old_departments

        for name, value in fields.items():
            label = Project._meta.get_field(name).verbose_name
            before = getattr(project, name) if not creating else None
            result.change(label, self.shown(project, name, before), self.shown(project, name, value, after=True))
            setattr(project, name, value)
        if new_unit is not None:
            result.change(Project._meta.get_field("unit").verbose_name, None, _("%(name)s（新登记）") % {
                "name": new_unit.name})
        if set_departments:
            names = {d.pk: d.name for d in self.departments.values()}
            result.change(_("责任部门"), [names.get(pk, pk) for pk in sorted(old_departments)],
                          [d.name for d in departments])

        annual_plan, plan_changed = self.plan_for(item, project, result, errors)
        join_library = self.library_name and (project.pk is None or project.pk not in self.members)
        if join_library:
            result.change(_("项目库"), None, f"{self.year}年{self.library_name}")

        if not errors:
            self.validate(project, annual_plan if plan_changed else None, row, errors)
        if errors:
            result.status = INVALID
            return result
        if not (fields or new_unit or set_departments or plan_changed or join_library):
            result.status = UNCHANGED
            return result
        result.status = NEW if creating else UPDATED

        def apply(warning_note: str = ""):
            if new_unit is not None:
                org_services.save_organisation(new_unit, acting_user=self.user, reason=self.reason)
                project.unit = new_unit
            if creating or fields or new_unit is not None or set_departments:
                project_services.save_project(
                    project, acting_user=self.user, reason=self.reason,
                    m2m={"departments": departments} if set_departments else None)
            if plan_changed:
                annual_plan.project = project
                project_services.save_annual_plan(annual_plan, acting_user=self.user, reason=self.reason)
            if join_library:
                project_services.save_membership(Membership(project=project, library=self.ensure_library()),
                                                 acting_user=self.user, reason=self.reason)

        result.apply = apply
        result.target = {
            "project": project, "new_unit": new_unit,
            "save": bool(creating or fields or new_unit is not None or set_departments),
            "m2m": {"departments": departments} if set_departments else None,
            "plan": annual_plan if plan_changed else None, "join_library": bool(join_library),
        }
        return result

    def apply_rows(self, rows, *, warning_note: str = "", progress=None) -> list:
        """Write every changed row through the batch services: units, projects, plans, library entries."""
        user, reason = self.user, self.reason

        def save_projects(targets):
            project_services.save_projects([t["project"] for t in targets], acting_user=user, reason=reason,
                                           m2m=[t["m2m"] for t in targets])

        def save_plans(targets):
            for target in targets:
                target["plan"].project = target["project"]
            project_services.save_annual_plans([t["plan"] for t in targets], acting_user=user, reason=reason)

        def save_memberships(targets):
            library = self.ensure_library()
            project_services.save_memberships([Membership(project=t["project"], library=library) for t in targets],
                                              acting_user=user, reason=reason)

        def write(part):
            failures = {}
            for n, row in enumerate(part):
                unit = row.target["new_unit"]
                if unit is None:
                    continue
                # New project units come only with a credit-code column: few, registered one by one.
                try:
                    with transaction.atomic():
                        org_services.save_organisation(unit, acting_user=user, reason=reason)
                except (ValidationError, PermissionDenied) as exc:
                    failures[n] = exc
                else:
                    row.target["project"].unit = unit
            if failures:
                raise BatchError(failures)
            for step, save in (("save", save_projects), ("plan", save_plans), ("join_library", save_memberships)):
                positions = [n for n, row in enumerate(part) if row.target[step]]
                if positions:
                    try:
                        save([part[n].target for n in positions])
                    except BatchError as exc:
                        raise exc.shifted(positions) from None

        return apply_in_chunks(rows, write, progress)

    def shown(self, project, name, value, after=False):
        field = Project._meta.get_field(name)
        if value is None:
            return None
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value

    def validate(self, project, annual_plan, row, errors) -> None:
        """The model's own checks, in memory (the references were resolved above, uniqueness in bulk)."""
        for instance, exclude in ((project, ["unit", "region", "leader"]), (annual_plan, ["project"])):
            if instance is None:
                continue
            try:
                instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    label = ""
                    if field_name in {f.name for f in type(instance)._meta.fields}:
                        label = type(instance)._meta.get_field(field_name).verbose_name
                    for message in messages:
                        self.plan.error(f"{label}：{message}" if label else message, row.number)
                        errors.append(message)

    def region_for(self, item, project, creating, errors):
        text = item["region"]
        if text:
            region = self.regions_by_code.get(text) or self.regions_by_name.get(text) or self.regions_by_name.get(
                re.sub(r"[市区县]$", "", text))
            if region is None:
                self._cell_error(item["row"], self.column("region"), _("未找到地区“%(name)s”。") % {"name": text},
                                 errors)
            return region
        if not creating:
            return None
        if self.default_region is not None:
            return self.default_region
        from faims.core.validators import project_code_region

        region = self.regions_by_code.get(project_code_region(item["code"]) or "")
        if region is None:
            self.plan.error(_("新项目须有所在地区：请增加“所在地区”列，或在导入时选择默认地区。"), item["row"].number)
            errors.append("region")
        return region

    def leader_for(self, item, errors):
        name = item["leader"]
        if not name:
            return None
        people = self.leaders.get(re.sub(r"[（(].*$", "", name).strip(), [])
        if len(people) != 1:
            message = (_("未找到挂钩市领导“%(name)s”（须是已登记的市领导）。") if not people
                       else _("有多位名为“%(name)s”的市领导，请在项目页面中选择。")) % {"name": name}
            self._cell_error(item["row"], self.column("leader"), message, errors)
            return None
        return people[0]

    def unit_for(self, item, project, result):
        """(existing organisation or None, new organisation to register or None)."""
        name, code = item["unit"], (item["unit_code"] or "").upper()
        if code:
            if code in self.units_by_code:
                return self.units_by_code[code], None
            if name:
                return None, Organisation(name=name, credit_code=code, region=self.default_region)
        if not name:
            return None, None
        found = self.units_by_name.get(name, [])
        if len(found) == 1:
            return found[0], None
        if project.unit_id and project.unit.name == name:
            return None, None
        note = (_("有多个名为“%(name)s”的项目单位，请增加“统一社会信用代码”列以区分；项目单位未修改。") if found
                else _("项目单位“%(name)s”尚未登记（需统一社会信用代码），项目单位未修改。"))
        result.notes.append(note % {"name": name})
        self.unregistered_units += 1
        return None, None

    def departments_for(self, item, result):
        text = item["department"]
        if not text:
            return None
        found, unknown = [], []
        for word in filter(None, re.split(r"[、,，/;；\s]+", text)):
            department = self.departments.get(word)
            if department is None:
                unknown.append(word)
            elif department not in found:
                found.append(department)
        if unknown:
            note = _("责任单位“%(names)s”不是已登记的部门，未导入。") % {"names": "、".join(unknown)}
            result.notes.append(note)
        return found or None

    def plan_for(self, item, project, result, errors):
        """(the annual plan as it would be saved, whether it changes)."""
        stored = self.plans.get(project.pk) if project.pk else None
        amount, kind = item["plan"], item["start_kind"]
        if not self.has("plan") or (amount is None and kind is None and stored is None):
            if stored is None and self.has("plan") and self.has("start_kind"):
                self.plan.warning(_("未填写%(year)s年计划投资，不建立年度计划。") % {"year": self.year},
                                  item["row"].number, self.column("plan"))
            return None, False
        plan = stored or AnnualPlan(year=self.year)
        label = _("%(year)s年度计划") % {"year": self.year}
        changed = False
        if stored is None:
            if amount is None:
                self._cell_error(item["row"], self.column("plan"), _("新建年度计划须填写年度计划投资。"), errors)
            if kind is None and not item.get("start_kind_invalid"):
                column = self.column("start_kind")
                message = _("新建年度计划须注明新建或续建（建设性质列）。")
                if column is None:
                    self.plan.error(message, item["row"].number)
                    errors.append(message)
                else:
                    self._cell_error(item["row"], column, message, errors)
        if amount is not None and amount != plan.planned_investment:
            result.change(f"{label}·{_('计划投资（万元）')}", plan.planned_investment, amount)
            plan.planned_investment, changed = amount, True
        if kind is not None and kind != plan.start_kind:
            result.change(f"{label}·{_('新开工/续建')}", StartKind(plan.start_kind).label if plan.start_kind else None,
                          StartKind(kind).label)
            plan.start_kind, changed = kind, True
            if kind == StartKind.CONTINUING:
                plan.planned_start_quarter = None
        if plan.start_kind == StartKind.NEW and item["planned_start"] and item["planned_start"].year == self.year:
            quarter = (item["planned_start"].month - 1) // 3 + 1
            if quarter != plan.planned_start_quarter:
                result.change(f"{label}·{_('计划开工季度')}", plan.planned_start_quarter, quarter)
                plan.planned_start_quarter, changed = quarter, True
        return plan, changed

    def ensure_library(self) -> Library:
        if self.library is None:
            self.library = project_services.save_library(
                Library(name=self.library_name, year=self.year, level=library_level(self.library_name)),
                acting_user=self.user, reason=self.reason)
        return self.library
