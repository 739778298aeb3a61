from django.urls import path

from ctnet.practices import views

urlpatterns = [
    path("", views.library, name="practices"),
    path("new/", views.practice_create, name="practice-new"),
    path("review/", views.review_queue, name="practice-review"),
    path("<int:practice_id>/", views.practice_detail, name="practice"),
    path("<int:practice_id>/edit/", views.practice_edit, name="practice-edit"),
    path("<int:practice_id>/transition/", views.practice_transition, name="practice-transition"),
    path("<int:practice_id>/marking/", views.practice_marking, name="practice-marking"),
    path("<int:practice_id>/endorse/", views.practice_endorse, name="practice-endorse"),
    path("<int:practice_id>/comment/", views.practice_comment, name="practice-comment"),
    path("<int:practice_id>/attach/", views.practice_attach, name="practice-attach"),
    path(
        "<int:practice_id>/files/<int:attachment_id>/",
        views.attachment_download,
        name="practice-attachment",
    ),
]
