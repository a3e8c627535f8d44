from django import forms
from django.contrib.auth.models import User
from django.shortcuts import redirect, render


def index(request):
    """A realistic small page: one database query, rendered through a template."""
    return render(request, 'index.html', {'users': User.objects.count()})


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150)


def signup(request):
    """Writes a row: a user with no usable password (a form with Django's CSRF protection)."""
    form = SignupForm(request.POST or None)
    if request.method == 'POST' and form.is_valid():
        User.objects.get_or_create(username=form.cleaned_data['username'])
        return redirect('index')
    return render(request, 'signup.html', {'form': form})
