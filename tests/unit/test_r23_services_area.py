"""R23 (§12): "serviços solicitados pelos clientes que não estiverem cobertos no contrato mensal
deverão ser encaminhados a área de serviços e serão passíveis de cobrança ... com autorização
prévia do cliente". Nothing forwarded them: the charge was authorized in the chat and only the
support team heard of it. With SERVICES_EMAIL set, the customer's authorization sends the
billable ticket to the vendor's services area by e-mail (what, for whom, the quote, who
authorized), and the card's thread says it went; a refusal, or no address set, sends nothing."""

from __future__ import annotations

from core.i18n import render_notification
from core.models import EntryKind
from core.outbox import Channel
from core.policy import Policy
from core.services import billing, handling, tramites

AREA = "servicos@totall.com.br"
QUOTE = "2 h de configuração, R$ 360,00"


def billable(world):
    """Ana classified Carla's ticket as a process configuration (outside the contract)."""
    ticket = world.open("carla", assunto="Cadastrar nova filial")
    world.run(handling.take, world.ids["ana"], ticket.id)
    world.run(billing.classify_origin, world.ids["ana"], ticket.id, "configuracao", QUOTE)
    return ticket


def to_area(world):
    return [m for m in world.outbox() if m.channel == Channel.EMAIL and m.target == AREA]


def test_r23_an_authorized_charge_goes_to_the_services_area(world):
    world.policy = Policy(services_email=AREA)
    ticket = billable(world)
    assert to_area(world) == []  # not before the customer authorizes it
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, True)
    sent = to_area(world)
    assert [m.kind for m in sent] == ["services.authorized"]
    subject, text = render_notification(sent[0].kind, sent[0].params, "pt_BR")
    assert ticket.number in subject
    assert "Mercado Exemplo" in subject
    for part in ("Cadastrar nova filial", "Configuração de processos", QUOTE, "Carla Souza",
                 "Ana Atendente", "área de serviços"):
        assert part in text, part
    _, english = render_notification(sent[0].kind, sent[0].params, "en")
    assert "services area" in english
    assert QUOTE in english
    lines = [m.params for m in world.outbox() if m.kind == "card"
             and m.params.get("event") == "services_forwarded"]
    assert [p["target"] for p in lines] == [AREA]
    entries = world.read(lambda uow: uow.entries.list(ticket.id, True))
    assert [tramites.read_system_entry(e.text) for e in entries if e.kind == EntryKind.SYSTEM][
        -1] == ("services_forwarded", {"target": AREA})


def test_r23_a_refused_charge_or_no_address_forwards_nothing(world):
    world.policy = Policy(services_email=AREA)
    ticket = billable(world)
    world.run(billing.record_billing_authorization, world.ids["carla"], ticket.id, False)
    assert to_area(world) == []
    world.policy = Policy()
    other = billable(world)
    world.run(billing.record_billing_authorization, world.ids["carla"], other.id, True)
    assert [m for m in world.outbox() if m.kind == "services.authorized"] == []
