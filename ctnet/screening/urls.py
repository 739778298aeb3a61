from django.urls import path

from ctnet.screening import views

urlpatterns = [
    path("", views.dashboard, name="screening"),
    path("runs/<int:run_id>/", views.run_page, name="screening-run"),
    path("hits/", views.hits_page, name="screening-hits"),
    path("hits/<int:hit_id>/", views.hit_page, name="screening-hit"),
    path("hits/<int:hit_id>/decision/", views.hit_decide, name="screening-hit-decide"),
    path(
        "hits/<int:hit_id>/second-review/",
        views.hit_second_review,
        name="screening-hit-second-review",
    ),
    path("watchlists/", views.watchlists_page, name="screening-watchlists"),
    path("watchlists/<int:watchlist_id>/", views.watchlist_page, name="screening-watchlist"),
    path(
        "watchlists/<int:watchlist_id>/import/",
        views.watchlist_import,
        name="screening-watchlist-import",
    ),
    path(
        "watchlists/<int:watchlist_id>/active/",
        views.watchlist_active,
        name="screening-watchlist-active",
    ),
    path("entries/<int:entry_id>/", views.entry_page, name="screening-entry"),
    path("stats/", views.stats_page, name="screening-stats"),
    # Named in the notice e-mail of ``tasks.send_hit_notice``.
    path("notices/", views.notices_page, name="screening-notices"),
    path("notices/<int:notice_id>/", views.notice_page, name="screening-notice"),
    path(
        "notices/<int:notice_id>/acknowledge/",
        views.notice_acknowledge,
        name="screening-notice-ack",
    ),
]
