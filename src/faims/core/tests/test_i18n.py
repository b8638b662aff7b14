"""The English catalogue: complete, well-formed, compiled, and what an English-speaking user actually sees."""
import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from faims.core.context_processors import _menu
from faims.core.validators import validate_project_code
from faims.org.choices import Role
from faims.projects.choices import LifecycleStatus, MembershipStatus
from faims.projects.models import Project
from faims.targets.choices import TargetUnit

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{\s*\w+\s*\}\}")
HAN = re.compile(r"[\u3400-\u9fff]")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text.strip()[1:-1])


def parse_po(path):
    """The entries of a .po file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (a list of forms)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, key = {"flags": set(), "msgstr": [], "obsolete": False}, None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if key == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
                else:
                    entry[key] += _unquote(line)
            else:
                keyword, _, value = line.partition(" ")
                if keyword.startswith("msgstr"):
                    key = "msgstr"
                    entry["msgstr"].append(_unquote(value))
                else:
                    key = keyword
                    entry[key] = _unquote(value)
        entries.append(entry)
    return entries


ENTRIES = parse_po(CATALOGUE / "django.po")
MESSAGES = [entry for entry in ENTRIES if entry.get("msgid")]


def test_the_parser_reads_what_makemessages_writes(tmp_path):
    sample = tmp_path / "django.po"
    sample.write_text(
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"长的"\n"句子 %(n)s"\nmsgstr "A long \\"sentence\\" %(n)s"\n\n'
        'msgid "共 %(counter)s 条"\nmsgid_plural "共 %(counter)s 条"\nmsgstr[0] ""\nmsgstr[1] "%(counter)s rows"\n',
        encoding="utf-8",
    )
    first, second = parse_po(sample)
    assert first["flags"] == {"fuzzy", "python-format"}
    assert first["msgid"] == "长的句子 %(n)s"
    assert first["msgstr"] == ['A long "sentence" %(n)s']
    assert second["msgid_plural"] == "共 %(counter)s 条"
    assert second["msgstr"] == ["", "%(counter)s rows"]
    assert len(MESSAGES) > 300


def test_every_entry_is_translated():
    problems = []
    for entry in MESSAGES:
        forms = 2 if "msgid_plural" in entry else 1
        if "fuzzy" in entry["flags"]:
            problems.append((entry["msgid"], "fuzzy"))
        if len(entry["msgstr"]) != forms or not all(text.strip() for text in entry["msgstr"]):
            problems.append((entry["msgid"], "untranslated"))
        if any(HAN.search(text) for text in entry["msgstr"]):
            problems.append((entry["msgid"], "Chinese left in the English text"))
    assert problems == []


def test_placeholders_survive_translation():
    problems = []
    for entry in MESSAGES:
        wanted = Counter(PLACEHOLDER.findall(entry["msgid"]))
        problems += [(entry["msgid"], text) for text in entry["msgstr"] if Counter(PLACEHOLDER.findall(text)) != wanted]
    assert problems == []


# The same Chinese term reads the same in English wherever it appears.
GLOSSARY = [
    ("投资项目统一代码", "project code"),
    ("统一社会信用代码", "unified social credit code"),
    ("挂钩市领导", "linked city leader"),
    ("地区经办人", "region officer"),
    ("项目库", "project librar"),
    ("责任部门", "responsible department"),
    ("万元", "10k yuan"),
    ("（亿元）", "(100m yuan)"),
    ("纳统", "statistics"),
    ("入库", "admi"),
    ("退库", "withdr"),
    ("竣工", "complet"),
    ("达效", "full"),
]


def test_terms_are_translated_consistently():
    problems = [
        (entry["msgid"], text)
        for term, english in GLOSSARY
        for entry in MESSAGES
        if term in entry["msgid"]
        for text in entry["msgstr"]
        if english not in text.lower()
    ]
    assert problems == []


def test_the_compiled_catalogue_matches_the_po_file():
    compiled_path = CATALOGUE / "django.mo"
    assert compiled_path.exists(), "no django.mo: run `make messages`"
    with compiled_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in MESSAGES:
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            compiled_forms = [compiled.ngettext(msgid, entry["msgid_plural"], n) for n in (1, 2)]
        else:
            compiled_forms = [compiled.gettext(msgid)]
        if compiled_forms != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == [], "django.mo is stale: run `make messages`"


def test_models_and_choices_speak_english_when_asked():
    with translation.override("en"):
        assert Project._meta.verbose_name == "Project"
        assert Project._meta.verbose_name_plural == "Projects"
        assert Project._meta.get_field("code").verbose_name == "Project code"
        assert Project._meta.get_field("total_investment").verbose_name == "Total investment (10k yuan)"
        assert LifecycleStatus.CONSTRUCTION.label == "Under construction"
        assert MembershipStatus.IN_LIBRARY.label == "In library"
        assert Role.CITY_ADMIN.label == "City major projects office (admin)"
        assert TargetUnit.WANYUAN.label == "10k yuan"
    with translation.override("zh-hans"):
        assert Project._meta.verbose_name == "项目"
        assert LifecycleStatus.CONSTRUCTION.label == "在建"


def test_menu_and_model_names_speak_english_when_asked():
    """Menu labels and model names become page titles and headings; none may stay Chinese in English."""
    with translation.override("en"):
        texts = [str(group) for group, _entries in _menu()]
        texts += [str(entry[0]) for _group, entries in _menu() for entry in entries]
        for model in apps.get_models():
            if model.__module__.startswith("faims."):
                texts += [str(model._meta.verbose_name), str(model._meta.verbose_name_plural),
                          str(model._meta.app_config.verbose_name)]
    assert [text for text in texts if HAN.search(text)] == []


def test_validation_errors_speak_english_when_asked():
    with translation.override("en"), pytest.raises(ValidationError, match="project code must have the form"):
        validate_project_code("2022-32021")


def test_a_signed_in_user_can_switch_the_pages_to_english_and_back(admin_client):
    url = reverse("projects:project_list")
    assert "导出 Excel" in admin_client.get(url).content.decode()

    admin_client.post(reverse("set_language"), {"language": "en", "next": url})
    body = admin_client.get(url).content.decode()
    assert '<html lang="en">' in body
    assert re.search(r"<h1[^>]*>Projects?</h1>", body)
    for text in ("Project library overview", "Export to Excel", "Sign out", "2 records", "Total investment"):
        assert text in body
    assert not HAN.search(re.sub(r"<option[^>]*>[^<]*</option>|<td[^>]*>.*?</td>", "", body, flags=re.S)), (
        "Chinese left in the English page chrome"
    )

    admin_client.post(reverse("set_language"), {"language": "zh-hans", "next": url})
    assert "导出 Excel" in admin_client.get(url).content.decode()
