"""Form rendering: every field group is wrapped so that grids lay out whole fields and errors mark the field."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
