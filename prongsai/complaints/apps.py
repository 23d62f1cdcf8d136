from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "prongsai.complaints"
    verbose_name = _("เรื่องร้องเรียนการทุจริต")

    def ready(self) -> None:
        from prongsai.audit.events import describe_events

        # Officers' actions only, and never what a case says: its short reference names it.
        describe_events(
            {
                "complaint.reply": _("ส่งข้อความถึงผู้ร้องเรียน เรื่อง %(case)s"),
                "complaint.file": _("แนบไฟล์ %(count)s ไฟล์ เรื่อง %(case)s"),
                "complaint.status": _("เปลี่ยนสถานะเรื่อง %(case)s เป็น %(status)s"),
                "complaint.risk_area": _("ระบุด้านความเสี่ยงของเรื่อง %(case)s: %(risk_area)s"),
                "complaint.identity": _("เปิดดูข้อมูลผู้ร้องเรียน เรื่อง %(case)s (บันทึกเหตุผลไว้)"),
                "complaint.handler.authorise": _("มอบหมายให้ %(user)s อ่านเรื่องร้องเรียน"),
                "complaint.handler.revoke": _("ยกเลิกสิทธิ์อ่านเรื่องร้องเรียนของ %(user)s (ลบกุญแจ %(keys)s รายการ)"),
                "complaint.recovery.create": _("สร้างกุญแจกู้คืนของเรื่องร้องเรียน"),
                "complaint.keys.share": _("ส่งกุญแจของเรื่องร้องเรียนให้ผู้อ่าน %(keys)s รายการ"),
                "complaint.keys.recover": _("ใช้กุญแจกู้คืน ส่งกุญแจของเรื่องร้องเรียนให้ผู้อ่าน %(keys)s รายการ"),
                "complaint.key.replace": _(
                    "กุญแจของ %(user)s ถูกสร้างใหม่หลังตั้งรหัสผ่านใหม่ (ลบกุญแจเรื่องเดิม %(keys)s รายการ)"
                ),
                "complaint.destroy": _("ทำลายข้อมูลเรื่องร้องเรียน %(case)s (ยุติเมื่อ %(closed_on)s)"),
            }
        )
