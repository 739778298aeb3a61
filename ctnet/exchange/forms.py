"""Forms of the exchange pages; the services validate again, these give field-level messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ctnet.core.forms import Sections
from ctnet.core.markings import TLP, Handling, InformationGrade, SourceGrade
from ctnet.core.models import COMMUNITY_KINDS, Organisation, UNGroup
from ctnet.core.picker import OrganisationField, OrganisationsField
from ctnet.core.policy import membership_of
from ctnet.core.topics import TOPICS
from ctnet.exchange.models import Audience, BulletinCategory, LegalStatus, Priority, ReplyKind


def _community_except(org_id: int | None) -> Any:
    qs = Organisation.objects.filter(is_active=True, kind__in=sorted(COMMUNITY_KINDS))
    return qs.exclude(pk=org_id) if org_id is not None else qs


class MarkingFields(forms.Form):
    tlp = forms.ChoiceField(label=_("TLP"), choices=TLP.choices, initial=TLP.AMBER)
    handling = forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handling_note = forms.CharField(label=_("Handling note (H3)"), max_length=500, required=False)
    source_grade = forms.ChoiceField(
        label=_("Source grade"), choices=[("", "—"), *SourceGrade.choices], required=False
    )
    info_grade = forms.ChoiceField(
        label=_("Information grade"), choices=[("", "—"), *InformationGrade.choices], required=False
    )
    source_details = forms.CharField(
        label=_("Source details (encrypted, seen by your organisation only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


MARKING_FIELDS = (
    "tlp",
    "handling",
    "handling_note",
    "source_grade",
    "info_grade",
    "source_details",
)


class RequestForm(Sections, MarkingFields):
    recipients = OrganisationsField(label=_("Recipients"), scope="community")
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 6}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    deadline = forms.DateTimeField(
        label=_("Deadline (UTC; empty: 8 hours if urgent, 7 days if normal)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    topic = forms.SlugField(label=_("Topic"), max_length=64, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    attachment = forms.FileField(label=_("Attachment (PDF, PNG, JPEG, text)"), required=False)
    field_order = ["recipients", "subject", "body", "priority", "deadline", "topic"]
    sections = (
        (_("The request"), ("recipients", "subject", "body", "attachment")),
        (_("Urgency"), ("priority", "deadline", "topic")),
        (_("Legal basis and purpose"), ("legal_basis", "purpose")),
        (_("Marking and source"), MARKING_FIELDS),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        membership = membership_of(user)
        org_id = membership.organisation_id if membership is not None else None
        recipients = self.fields["recipients"]
        assert isinstance(recipients, OrganisationsField)
        recipients.bind(user, _community_except(org_id))

    def addressable(self) -> QuerySet[Organisation]:
        """The organisations this sender may choose as recipients."""
        recipients = self.fields["recipients"]
        assert isinstance(recipients, OrganisationsField) and recipients.queryset is not None
        return recipients.queryset


class RequestPrefill(forms.Form):
    """``?to=FRA&topic=border-security``: the recipients and topic a link fills in ("send a
    request" on a directory contact), checked like any input: only organisations the sender may
    address, only a topic of the network's vocabulary."""

    to = forms.ModelMultipleChoiceField(
        label=_("Recipients"), queryset=Organisation.objects.none(), to_field_name="code"
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", "—"), *TOPICS.items()], required=False
    )

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ModelMultipleChoiceField)
        to.queryset = recipients

    def initial_for_request(self) -> dict[str, Any]:
        return {"recipients": list(self.cleaned_data["to"]), "topic": self.cleaned_data["topic"]}


class PersonForm(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO alpha-3)"), max_length=3, required=False
    )
    document_number = forms.CharField(label=_("Passport number"), max_length=100, required=False)
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    review_date = forms.DateField(
        label=_("Review date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    retain_until = forms.DateField(
        label=_("Retain until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def person_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        number = data.pop("document_number", "")
        data["documents"] = (
            [{"type": "passport", "number": number, "country": data.get("nationality") or ""}]
            if number
            else []
        )
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ReplyKind.choices, initial=ReplyKind.MESSAGE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    new_recipient = OrganisationField(label=_("Pass on to"), scope="community")
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, sender_org_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        new_recipient = self.fields["new_recipient"]
        assert isinstance(new_recipient, OrganisationField)
        new_recipient.queryset = _community_except(sender_org_id)


class ExportReleaseForm(forms.Form):
    """Ask the originator for leave to export a bulletin's indicators (STIX)."""

    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    text = forms.CharField(
        label=_("Conditions (approval) or reason (refusal)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class MarkingChangeForm(forms.Form):
    tlp = forms.ChoiceField(label=_("TLP"), choices=TLP.choices)
    handling = forms.MultipleChoiceField(
        label=_("Handling codes"),
        choices=Handling.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class BulletinForm(Sections, MarkingFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Bulletin"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=_("Category"), choices=BulletinCategory.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    un_group = forms.ChoiceField(
        label=_("UN regional group"), choices=[("", "—"), *UNGroup.choices], required=False
    )
    sharing_group = forms.TypedChoiceField(
        label=_("Sharing group"), coerce=int, empty_value=None, required=False
    )
    indicators = forms.CharField(
        label=_("Indicators, one per line as kind:value (domain, url, ipv4, sha256, file_name)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=200_000,
    )
    field_order = ["title", "body", "category", "audience", "un_group", "sharing_group"]
    sections = (
        (_("The bulletin"), ("title", "body", "category", "indicators")),
        (_("Audience"), ("audience", "un_group", "sharing_group")),
        (_("Marking and source"), MARKING_FIELDS),
    )

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any) -> None:
        """``groups``: the sharing groups the sender may address (owned or belonging to)."""
        super().__init__(*args, **kwargs)
        sharing_group = self.fields["sharing_group"]
        assert isinstance(sharing_group, forms.TypedChoiceField)
        sharing_group.choices = [("", "—"), *((g.pk, g.name) for g in groups)]

    def indicator_rows(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["indicators"].splitlines():
            if line.strip():
                kind, _sep, value = line.strip().partition(":")
                rows.append({"kind": kind.strip(), "value": value.strip()})
        return rows


class NameSearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), min_length=2, max_length=200)


class CorrectionForm(forms.Form):
    """The fields an originator most often corrects; the API takes every field."""

    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    review_date = forms.DateField(
        label=_("Review date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    retain_until = forms.DateField(
        label=_("Retain until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PersonReviewForm(forms.Form):
    # Empty: a year from today, never past the retention date (the service checks the bounds).
    review_date = forms.DateField(
        label=_("Next review date (empty: a year from today, at most the retention date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    legal_status = forms.ChoiceField(
        label=_("Legal status (empty: unchanged)"),
        choices=[("", "—"), *LegalStatus.choices],
        required=False,
    )
