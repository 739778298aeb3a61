"""Forms of the directory pages: they parse the shape; the services check the content."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctnet.core.models import UNGroup
from ctnet.core.picker import country_widget
from ctnet.directory import taxonomy
from ctnet.directory.models import Audience, ContactPoint, Function

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Office or person"), max_length=100, required=False)
    country = forms.CharField(
        label=_("Country or organisation"),
        max_length=100,
        required=False,
        widget=country_widget("directory"),
    )
    topic = forms.ChoiceField(
        label=_("Expertise"),
        choices=[("", _("Any topic")), *taxonomy.TOPICS.items()],
        required=False,
    )
    language = forms.RegexField(
        label=_("Language (ISO 639-1)"), regex=r"^[A-Za-z]{2}$", required=False, max_length=2
    )
    un_group = forms.ChoiceField(
        label=_("Regional group"), choices=[("", _("All groups")), *UNGroup.choices], required=False
    )
    verified = forms.ChoiceField(label=_("Verified"), choices=YES_NO, required=False)
    stale = forms.ChoiceField(label=_("Stale"), choices=YES_NO, required=False)
    available_now = forms.BooleanField(label=_("Available now"), required=False)

    def search_filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        as_bool = {"yes": True, "no": False, "": None}
        return {
            "q": data["q"] or None,
            "country": data["country"] or None,
            "topic": data["topic"] or None,
            "language": data["language"] or None,
            "un_group": data["un_group"] or None,
            "verified": as_bool[data["verified"]],
            "stale": as_bool[data["stale"]],
            "available_now": data["available_now"],
        }


class RouteForm(forms.Form):
    country = forms.CharField(
        label=_("Country or organisation"), max_length=100, widget=country_widget("directory")
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=taxonomy.topic_choices())


class ContactForm(forms.Form):
    function = forms.ChoiceField(label=_("Function"), choices=Function.choices)
    office = forms.CharField(label=_("Office or function"), max_length=200)
    holders = forms.CharField(
        label=_("People who hold it (one per line: name — title)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    mandate = forms.CharField(
        label=_("Mandate"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("Expertise"),
        choices=taxonomy.topic_choices(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages accepted (ISO 639-1, comma-separated)"), max_length=100, required=False
    )
    time_zone = forms.CharField(label=_("Time zone (IANA, e.g. Europe/Paris)"), max_length=64)
    always_on = forms.BooleanField(label=_("Staffed 24/7"), required=False)
    hours_start = forms.CharField(
        label=_("Office hours from (HH:MM)"), required=False, max_length=8
    )
    hours_end = forms.CharField(label=_("Office hours to (HH:MM)"), required=False, max_length=8)
    work_days = forms.CharField(
        label=_("Working days (1 = Monday … 7 = Sunday)"), max_length=20, required=False
    )
    urgent_procedure = forms.CharField(
        label=_("Urgent-request procedure"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    pgp_fingerprint = forms.CharField(
        label=_("PGP key fingerprint"), max_length=100, required=False
    )
    other_channel = forms.CharField(label=_("Other secure channel"), max_length=300, required=False)
    deputy_id = forms.TypedChoiceField(
        label=_("Deputy (covers absences)"), coerce=int, empty_value=None, required=False
    )
    published_to = forms.ChoiceField(label=_("Published to"), choices=Audience.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, deputies: list[ContactPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # ``fields`` is typed as plain ``Field``; this one is the TypedChoiceField declared above.
        self.fields["deputy_id"].choices = [  # type: ignore[attr-defined]
            ("", _("No deputy")),
            *((c.pk, c.office) for c in deputies),
        ]

    def contact_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        holders = []
        for line in data["holders"].splitlines():
            name, _sep, title = line.partition("—")
            if name.strip():
                holders.append({"name": name.strip(), "title": title.strip()})
        data["holders"] = holders
        return data

    @staticmethod
    def initial_for(contact: ContactPoint) -> dict[str, Any]:
        return {
            **{
                name: getattr(contact, name)
                for name in (
                    "function",
                    "office",
                    "mandate",
                    "time_zone",
                    "always_on",
                    "work_days",
                    "urgent_procedure",
                    "phone",
                    "email",
                    "pgp_fingerprint",
                    "other_channel",
                    "deputy_id",
                    "published_to",
                    "version",
                )
            },
            "holders": "\n".join(f"{h['name']} — {h.get('title', '')}" for h in contact.holders),
            "topics": contact.topic_list,
            "languages": ", ".join(contact.language_list),
            "hours_start": f"{contact.hours_start:%H:%M}" if contact.hours_start else "",
            "hours_end": f"{contact.hours_end:%H:%M}" if contact.hours_end else "",
        }


class CommTestForm(forms.Form):
    note = forms.CharField(label=_("Note to recipients"), max_length=300, required=False)
