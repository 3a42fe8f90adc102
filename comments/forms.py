"""The comment form of the rendered article page. It works without JavaScript.

Validation is the API's (``comments.api.submit_comment``): one set of rules for both ways in.
This form only renders the fields and carries the errors back to the reader, each once, beside its
field (``show_errors``).
"""

from django import forms
from django.conf import settings
from django.core import validators
from django.forms.utils import ErrorDict

# What the reader is asked for when a field is left empty, instead of the API's "This field may not
# be blank." (and, from Django's own validation, a second "This field is required.").
EMPTY_MESSAGES = {
    "name": "Enter your name.",
    "email": "Enter your e-mail address.",
    "body": "Write your comment.",
}
EMPTY_CODES = {"blank", "required", "null"}
# Fields the reader cannot see or change: their errors are said above the form, not beside a field.
NOT_SHOWN = {"page", "parent", "honeypot"}
HONEYPOT_MESSAGE = "This comment cannot be accepted."


class CommentForm(forms.Form):
    page = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(error_messages={"required": EMPTY_MESSAGES["name"]})  # max_length: __init__
    email = forms.EmailField(
        label="E-mail",
        max_length=254,  # the API's limit
        error_messages={"required": EMPTY_MESSAGES["email"]},
        help_text=(
            "Required, and never shown on the site. Moderators may use it to contact you about your "
            "comment, and reply notifications go there if you ask for them."
        ),
    )
    url = forms.CharField(label="Website (optional)", required=False, max_length=200)
    body = forms.CharField(  # max_length: __init__
        label="Comment",
        error_messages={"required": EMPTY_MESSAGES["body"]},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    followup = forms.BooleanField(label="E-mail me when someone replies", required=False)
    honeypot = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The settings the API's serializer uses, read when the form is built rather than when this
        # module is imported; the rendered ``maxlength`` tells the reader the limit before posting.
        self._limit("name", settings.COMMENTS_NAME_MAX_LENGTH)
        self._limit("body", settings.COMMENTS_MAX_LENGTH)

    def _limit(self, name, max_length):
        field = self.fields[name]
        field.max_length = max_length
        field.validators = [v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)]
        field.validators.append(validators.MaxLengthValidator(max_length))
        field.widget.attrs.update(field.widget_attrs(field.widget))

    def api_data(self):
        data = self.data
        values = {key: data.get(key, "") for key in ["page", "name", "email", "url", "body", "honeypot"]}
        values["parent"] = data.get("parent") or None
        values["followup"] = data.get("followup") in {"on", "true", "1"}
        return values

    def show_errors(self, errors=None, *, message=None):
        """Show the API's ``errors`` (``{field: [messages]}``) and ``message`` instead of the form's own.

        The form's own validation never runs beside the API's, so that no error is said twice in two
        wordings; an empty field gets one plain request (``EMPTY_MESSAGES``), and errors on fields
        the reader cannot see (``NOT_SHOWN``) go above the form.
        """
        self._errors = ErrorDict(renderer=self.renderer)
        self.cleaned_data = {}
        if message:
            self.add_error(None, message)
        for field, messages in (errors or {}).items():
            target = field if field in self.fields and field not in NOT_SHOWN else None
            seen = set()
            for detail in messages if isinstance(messages, list) else [messages]:
                text = self._wording(field, detail)
                if text not in seen:
                    seen.add(text)
                    self.add_error(target, text)

    @staticmethod
    def _wording(field, detail):
        if field == "honeypot":
            return HONEYPOT_MESSAGE
        if getattr(detail, "code", None) in EMPTY_CODES and field in EMPTY_MESSAGES:
            return EMPTY_MESSAGES[field]
        return str(detail)

    def forget_parent(self):
        """Post the kept text as a new comment next time: the comment it answered is gone."""
        data = self.data.copy()
        data["parent"] = ""
        self.data = data


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=[])
    detail = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        from comments.models import CommentReport

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = CommentReport.Reason.choices
