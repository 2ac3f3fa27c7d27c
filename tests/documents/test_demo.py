"""The demo's documents, as `make demo` loads them."""

from django.core import mail
from django.core.management import call_command

from convocation.documents.models import Document


def test_demo_documents_load_once_with_their_symbols(demo, client, capsys):
    call_command("load_demo_documents")
    call_command("load_demo_documents")
    assert "Demo documents loaded: 0 new" in capsys.readouterr().out
    assert list(
        Document.objects.filter(status="issued").order_by("id").values_list("symbol", flat=True)
    ) == [
        "ATT/CSP12.WGETI/2026/CHAIR/901/DrAgenda",
        "ATT/CSP12.WGETI/2026/CHAIR/901/DrAgenda.Rev1",
        "ATT/CSP12.WGETI/2026/FAC/902/WP.CEI",
        "ATT/CSP12.WGTU/2026/PRES/903/DrAgenda",
        "ATT/CSP12.WGTR/2026/SECR/904/DrAgenda",
        "ATT/CSP12/2026/PRES/905/ConceptNote",
        "ATT/CSP12.DIEF/2026/PRES/906/DIEF.WP",
    ]
    assert Document.objects.filter(status="submitted").count() == 1
    assert not Document.objects.filter(status="issued", digest_sent_at__isnull=True).exists()
    assert mail.outbox == []
    page = client.get("/meetings/att-csp12-wg/documents/").content.decode()
    assert "ATT/CSP12.WGTU/2026/PRES/903/DrAgenda" in page
    assert "ATT/CSP12.DIEF/2026/PRES/906/DIEF.WP" not in page
    download = client.get(
        f"/documents/{Document.objects.get(symbol__endswith='903/DrAgenda').pk}/fr/"
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")
