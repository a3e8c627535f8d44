from django.contrib import admin
from django.urls import path
from django.views.decorators.cache import cache_control

from . import views

urlpatterns = [
    path('', views.index, name='index'),
    # The same page, which shared caches may keep for 60 s: whisk --cache-responses answers it
    # from Apache's cache (docs/production.md, A response cache).
    path('cached/', cache_control(public=True, max_age=60)(views.index), name='cached'),
    path('signup/', views.signup, name='signup'),
    path('tasks/', views.tasks, name='tasks'),
    path('tasks/<str:task_id>/', views.task, name='task'),
    path('admin/', admin.site.urls),
]
