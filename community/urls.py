from django.urls import path

from community import views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("community/", views.post_list, name="post_list"),
    path("community/tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("community/<str:slug>/", views.post_detail, name="post_detail"),
    path("community/<str:slug>/modal/", views.post_modal, name="post_modal"),
    path("community/<str:slug>/history/", views.post_history, name="post_history"),
    path("guide/", views.guide, name="guide"),
    path("guide/advisor/", views.advisor, name="advisor"),
    path("guide/advisor/result/", views.advisor_result, name="advisor_result"),
    path("healthz", views.healthz, name="healthz"),
]
