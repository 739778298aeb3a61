from django.urls import path

from ctnet.hashes import views

urlpatterns = [
    path("", views.match_page, name="hashes"),
    path("signals/<int:signal_id>/", views.signal_detail, name="hashes-signal"),
    path("signals/<int:signal_id>/opinion/", views.signal_opinion, name="hashes-signal-opinion"),
    path("transparency/", views.transparency_page, name="hashes-transparency"),
]
