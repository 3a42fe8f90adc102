"""The comment form of the rendered article page. It works without JavaScript.

Validation is the API's (``comments.api.submit_comment``): one set of rules for both ways in.
This form only renders the fields and carries the errors back to the reader.
"""

from django import forms
from django.conf import settings
from django.core import validators


class CommentForm(forms.Form):
    page = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField()  # max_length: __init__
    email = forms.EmailField(help_text="Never published. Used only if you ask to be told about replies.")
    url = forms.CharField(label="Website", required=False, max_length=200)
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}))  # max_length: __init__
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

    def add_api_errors(self, errors):
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(target, str(message))


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
