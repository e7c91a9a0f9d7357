from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

User = get_user_model()

EMAIL_TAKEN = "An account with this e-mail address already exists."
USERNAME_TAKEN = "That username is taken. Please choose another."


class SignupForm(UserCreationForm):
    """A new reader: username, e-mail, password twice."""

    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        help_text="We send a link to confirm it. Never shown publicly.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "username"
        ].help_text = "Letters, digits and @ . + - _ only; 150 characters at most."
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username and User._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN, code="unique")
        return username

    def clean_email(self):
        email = User._default_manager.normalize_email(self.cleaned_data["email"])
        if User._default_manager.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="unique")
        return email


class LoginForm(AuthenticationForm):
    """Sign in with the username or the e-mail address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username or e-mail and password do not match an account.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = "Username or e-mail"
        field.max_length = 254
        field.widget.attrs.update({"maxlength": 254, "autocomplete": "username"})


class ProfileForm(forms.ModelForm):
    """What a reader may change about themselves."""

    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        help_text="Changing it means confirming the new address by e-mail.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta:
        model = User
        fields = ("display_name", "bio", "email", "avatar", "notify_on_reply")
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "display_name": "Display name",
            "notify_on_reply": "E-mail me when someone replies to my comments",
        }
        help_texts = {
            "display_name": "Shown on your comments. Leave empty to use your username.",
            "bio": "A few words about you, shown on your public page.",
            "avatar": (
                "JPEG, PNG, WebP or GIF; cropped to a square. Without one, we show your initials."
            ),
            "notify_on_reply": "",
        }

    def clean_email(self):
        email = User._default_manager.normalize_email(self.cleaned_data["email"])
        others = User._default_manager.exclude(pk=self.instance.pk)
        if others.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="unique")
        return email


class DeleteAccountForm(forms.Form):
    """Re-enter the password to confirm."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="password_incorrect")
        return password
