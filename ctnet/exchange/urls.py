from django.urls import path

from ctnet.exchange import views, views_more

urlpatterns = [
    path("", views.inbox_page, name="exchange"),
    path("requests/new/", views.request_new, name="exchange-request-new"),
    path("requests/<int:request_id>/", views.request_detail, name="exchange-request"),
    path("requests/<int:request_id>/act/", views.request_act, name="exchange-request-act"),
    path(
        "requests/<int:request_id>/release/",
        views.request_release,
        name="exchange-request-release",
    ),
    path(
        "requests/<int:request_id>/marking/",
        views.request_marking,
        name="exchange-request-marking",
    ),
    path("requests/<int:request_id>/people/", views.request_person, name="exchange-request-person"),
    path(
        "requests/<int:request_id>/files/<int:attachment_id>/",
        views.attachment_download,
        name="exchange-attachment",
    ),
    path("releases/", views_more.release_list, name="exchange-releases"),
    path(
        "releases/<int:release_id>/decide/",
        views_more.release_decide,
        name="exchange-release-decide",
    ),
    path("bulletins/", views_more.bulletin_list, name="exchange-bulletins"),
    path("bulletins/new/", views_more.bulletin_new, name="exchange-bulletin-new"),
    path("bulletins/<int:bulletin_id>/", views_more.bulletin_page, name="exchange-bulletin"),
    path("bulletins/<int:bulletin_id>/ack/", views_more.bulletin_ack, name="exchange-bulletin-ack"),
    path("people/", views_more.person_search, name="exchange-people"),
    path("people/<int:record_id>/", views_more.person_edit, name="exchange-person-edit"),
    path("people/<int:record_id>/trail/", views_more.person_trail, name="exchange-trail"),
]
