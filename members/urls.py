from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/name/", views.rename, name="rename"),
    path("ask/", views.ask, name="ask"),
    path("questions/<str:slug>/answer/", views.answer, name="answer"),
    path("answers/<uuid:uid>/report/", views.report, name="report"),
    path("preview/", views.preview, name="preview"),
]
