from django.urls import path

from ctnet.hashes import views

urlpatterns = [
    path("", views.match_page, name="hashes"),
    path("banks/", views.banks_page, name="hashes-banks"),
    path("banks/crisis/", views.crisis_open, name="hashes-crisis-open"),
    path("banks/<int:bank_id>/", views.bank_page, name="hashes-bank"),
    path("banks/<int:bank_id>/contribute/", views.bank_contribute, name="hashes-bank-contribute"),
    path("banks/<int:bank_id>/import/", views.bank_import, name="hashes-bank-import"),
    path("banks/<int:bank_id>/close/", views.bank_close, name="hashes-bank-close"),
    path("banks/<int:bank_id>/marking/", views.bank_marking, name="hashes-bank-marking"),
    path("signals/<int:signal_id>/", views.signal_detail, name="hashes-signal"),
    path("signals/<int:signal_id>/opinion/", views.signal_opinion, name="hashes-signal-opinion"),
    path("signals/<int:signal_id>/confirm/", views.signal_confirm, name="hashes-signal-confirm"),
    path(
        "signals/<int:signal_id>/false-positive/",
        views.signal_false_positive,
        name="hashes-signal-false-positive",
    ),
    path("signals/<int:signal_id>/remove/", views.signal_remove, name="hashes-signal-remove"),
    path("transparency/", views.transparency_page, name="hashes-transparency"),
]
