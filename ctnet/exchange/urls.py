from django.urls import path

from ctnet.exchange.views import (
    attachments,
    bulletins,
    inbox,
    people,
    releases,
    requests,
    reviews,
    stats,
)

urlpatterns = [
    path("", inbox.inbox_page, name="exchange"),
    path("requests/new/", requests.request_new, name="exchange-request-new"),
    path("requests/<int:request_id>/", requests.request_detail, name="exchange-request"),
    path("requests/<int:request_id>/act/", requests.request_act, name="exchange-request-act"),
    path(
        "requests/<int:request_id>/release/",
        releases.request_release,
        name="exchange-request-release",
    ),
    path(
        "requests/<int:request_id>/marking/",
        requests.request_marking,
        name="exchange-request-marking",
    ),
    path(
        "requests/<int:request_id>/people/", people.request_person, name="exchange-request-person"
    ),
    path(
        "requests/<int:request_id>/files/<int:attachment_id>/",
        attachments.attachment_download,
        name="exchange-attachment",
    ),
    path("releases/", releases.release_list, name="exchange-releases"),
    path("stats/", stats.stats_page, name="exchange-stats"),
    path(
        "releases/<int:release_id>/decide/",
        releases.release_decide,
        name="exchange-release-decide",
    ),
    path("bulletins/", bulletins.bulletin_list, name="exchange-bulletins"),
    path("bulletins/new/", bulletins.bulletin_new, name="exchange-bulletin-new"),
    path("bulletins/<int:bulletin_id>/", bulletins.bulletin_page, name="exchange-bulletin"),
    path("bulletins/<int:bulletin_id>/ack/", bulletins.bulletin_ack, name="exchange-bulletin-ack"),
    path(
        "bulletins/<int:bulletin_id>/release/",
        bulletins.bulletin_release,
        name="exchange-bulletin-release",
    ),
    path("people/", people.person_search, name="exchange-people"),
    path("people/due/", reviews.people_due, name="exchange-people-due"),
    path("people/<int:record_id>/review/", reviews.person_reviewed, name="exchange-person-review"),
    path("people/<int:record_id>/", people.person_edit, name="exchange-person-edit"),
    path("people/<int:record_id>/trail/", people.person_trail, name="exchange-trail"),
]
