from django.urls import path

from guide import views

app_name = "guide"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("advisor/", views.advisor, name="advisor"),
    path("advisor/result/", views.advisor_result, name="advisor_result"),
]
