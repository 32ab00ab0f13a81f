"""The extract's appendix: why and how the person's registers process data, their rights and
where to complain (GDPR Art. 15(1)(a)–(h) and 15(2)).

None of it depends on the person beyond which registers hold their data, so it is the same
text for everyone in the same registers, and `portal/extract/pdf.py` lays it out once per
process and text instead of once per copy. What the person's registers share (a source, a
recipient, the transfers, automated decisions) is said once, naming the registers it applies
to, rather than once per register page after page.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from portal import controller
from portal.registers.recipients import register_recipients


@dataclass
class Fact:
    """A heading line and the lines under it; laid out as one paragraph (cheap in WeasyPrint)."""

    label: str
    lines: list[str] = field(default_factory=list)


def _applies_to(names: list[str], every: list[str]) -> str:
    return "" if names == every else f" ({', '.join(names)})"


def _grouped(registers, text_of) -> list[str]:
    """One line per distinct text, naming the registers it holds for unless it holds for all."""
    every = [str(r.short_name) for r in registers]
    seen: dict[str, list[str]] = {}
    for register in registers:
        for text in text_of(register):
            seen.setdefault(str(text), []).append(str(register.short_name))
    return [text + _applies_to(names, every) for text, names in seen.items()]


def _register_facts(register) -> list[Fact]:
    facts = [
        Fact(_("Purpose of processing"), [str(register.purpose)]),
        Fact(_("Legal basis"), [str(register.legal_basis)]),
        Fact(
            _("Categories of data"),
            [
                f"{str(category)[:1].upper()}{str(category)[1:]}: {', '.join(map(str, labels))}"
                for category, labels in register.fields_by_category
            ],
        ),
        Fact(_("How long the data is kept"), [str(p) for p in register.retention]),
    ]
    if register.provision:
        provision = register.provision
        facts.append(
            Fact(
                _("Must you provide the data?"),
                [f"{provision.requirement_text} {provision.consequence}"],
            )
        )
    return facts


def _recipient_facts(registers) -> list[Fact]:
    """Each recipient once, with what it receives from each of the person's registers."""
    every = [str(r.short_name) for r in registers]
    # (fact, {what it receives: the registers it receives that from}, the declared entry)
    facts: dict[tuple, tuple] = {}
    for register in registers:
        for entry in register_recipients(register):
            key = (entry.key, str(entry.legal_basis), str(entry.interest), str(entry.note))
            if key not in facts:
                facts[key] = (Fact(f"{entry.name}, {entry.kind_label}"), {}, entry)
            receives = facts[key][1]
            labels = ", ".join(map(str, entry.receives_labels))
            receives.setdefault(labels, []).append(str(register.short_name))
    result = []
    for fact, receives, entry in facts.values():
        for labels, names in receives.items():
            fact.lines.append(f"{_('Data it receives')}{_applies_to(names, every)}: {labels}")
        fact.lines.append(f"{_('Legal basis')}: {entry.legal_basis}")
        if entry.interest:
            fact.lines.append(f"{_('The legitimate interest')}: {entry.interest}")
        if entry.note:
            fact.lines.append(str(entry.note))
        result.append(fact)
    return result


def appendix_html(*, registers, title: str, language: str) -> str:
    """The appendix for a person whose data is in `registers` (declarations, in order), in the
    active language. Its text is all the layout cache needs to know (portal/extract/pdf.py)."""
    shared = [
        Fact(_("Where the data comes from"), _grouped(registers, lambda r: r.sources)),
        Fact(_("Transfers outside the EU/EEA"), _grouped(registers, lambda r: [r.transfers])),
        Fact(
            _("Automated decision-making and profiling"),
            _grouped(registers, lambda r: [r.automated_decisions]),
        ),
    ]
    return render_to_string(
        "portal/extract/appendix.html",
        {
            "language": language,
            "title": title,
            "controller": controller.CONTROLLER,
            "authority": controller.SUPERVISORY_AUTHORITY,
            "judicial_remedy": controller.JUDICIAL_REMEDY,
            "registers": [(r, _register_facts(r)) for r in registers],
            "shared": shared,
            "recipients": _recipient_facts(registers),
        },
    )


def extract_appendix(context: dict) -> str:
    """The appendix of the extract whose context (pdf_extract_context) is given: the registers
    holding the person's data, in the extract's language and title."""
    held = [d.register for d in context["registers"] if d.records or d.disclosures]
    return appendix_html(registers=held, title=str(context["title"]), language=context["language"])
