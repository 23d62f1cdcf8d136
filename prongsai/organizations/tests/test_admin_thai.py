"""The admin in Thai: Django's own Thai catalogue leaves some strings in English; ours fills them."""

from django.utils import translation


def test_the_admin_strings_django_leaves_in_english_are_thai():
    with translation.override("th"):
        assert translation.gettext("Show counts") == "แสดงจำนวน"
        assert translation.gettext("Django administration") == "การดูแลระบบ Prongsai"
        assert translation.gettext("Yes, I’m sure") == "ใช่ ยืนยัน"
    with translation.override("en"):
        assert translation.gettext("Show counts") == "Show counts"


def test_the_admin_index_shows_the_product_name_in_thai(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "การดูแลระบบ Prongsai" in page and "Django" not in page.split("<title>")[1].split("</title>")[0]


def test_the_membership_list_names_its_columns_in_thai(admin_client, people):
    page = admin_client.get("/admin/organizations/membership/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "ผู้ใช้" in head and "องค์กร" in head and "บทบาท" in head
