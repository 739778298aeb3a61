from django.urls import path

from ctnet.consultations.views import pages

urlpatterns = [
    path("", pages.consultation_list, name="consultations"),
    path("receipt/", pages.receipt_lookup, name="consultations-receipt"),
    path("<int:consultation_id>/", pages.consultation_detail, name="consultation"),
    path("<int:consultation_id>/submit/", pages.consultation_submit, name="consultation-submit"),
    path("<int:consultation_id>/move/", pages.consultation_move, name="consultation-move"),
    path(
        "<int:consultation_id>/opinion-map.svg",
        pages.opinion_map_svg,
        name="consultation-opinion-map",
    ),
    path("<int:consultation_id>/report/", pages.consultation_report, name="consultation-report"),
]
