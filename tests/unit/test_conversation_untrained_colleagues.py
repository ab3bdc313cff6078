"""R2: a customer not yet trained, refused a ticket, is told who in their company may open it
for them (trained, active colleagues), besides whom to ask for the training. They were only told
to schedule a training, with a stopped PDV and two trained colleagues next to them."""

from __future__ import annotations

from fakes.chat import chat_for, pt

from core.services import users

COORD = " (Anderson Coordenação, coord@exemplo.com.br)"
COLLEAGUES = "Carla Souza, João Lima"


def test_r2_the_refusal_of_a_new_ticket_names_the_trained_colleagues(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("novo")
    assert chat.replies[0].text == pt("error.not_trained_colleagues", contact=COORD,
                                      names=COLLEAGUES)


def test_r2_a_typed_matter_names_them_with_the_knowledge_base_offered(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("o caixa não abre")
    assert pt("conv.untrained.colleagues", names=COLLEAGUES) in chat.prompt.text
    assert chat.labels == [pt("conv.typed.kb"), pt("conv.menu.back")]


def test_r2_contact_names_them(world):
    chat = chat_for(world, "novato")
    chat.send("oi")
    chat.send("qual o telefone do suporte?")
    assert pt("conv.untrained.colleagues", names=COLLEAGUES) in chat.text


def test_r2_colleagues_not_trained_inactive_or_of_another_company_are_not_named(world):
    world.run(users.add_user, name="Zeca Novo", email="zeca@exemplo.com.br",
              company_names=["Loja Rival"], trained=False)
    world.ids["zeca"] = world.read(lambda uow: uow.users.by_email("zeca@exemplo.com.br").id)
    world.run(users.add_user, name="Rui Saiu", email="rui@exemplo.com.br",
              company_names=["Loja Rival"], trained=True)
    world.run(users.deactivate, "rui@exemplo.com.br", "saiu da empresa")
    chat = chat_for(world, "zeca")
    chat.send("oi")
    chat.send("novo")
    said = chat.replies[0].text
    assert "Rita Rival" in said  # trained, same company
    assert "Carla" not in said  # another company
    assert "Rui Saiu" not in said  # deactivated


def test_r2_with_no_trained_colleague_the_refusal_is_as_before(world):
    world.run(users.add_company, "Padaria Nova")
    world.run(users.add_user, name="Zeca Novo", email="zeca@exemplo.com.br",
              company_names=["Padaria Nova"], trained=False)
    world.ids["zeca"] = world.read(lambda uow: uow.users.by_email("zeca@exemplo.com.br").id)
    chat = chat_for(world, "zeca")
    chat.send("oi")
    chat.send("novo")
    assert chat.replies[0].text == pt("error.not_trained", contact=COORD)
