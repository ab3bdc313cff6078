"""Realistic pt-BR assuntos and descrições for generated tickets (a retail ERP's support)."""

from __future__ import annotations

import random

UFS = ("SP", "PR", "SC", "RS", "MG", "RJ", "BA", "GO", "PE", "CE", "ES", "MT")
REJEICOES = ("204", "225", "233", "301", "539", "610", "694", "778", "806", "938")
BANCOS = ("Banco do Brasil", "Itaú", "Bradesco", "Caixa", "Santander", "Sicoob", "Sicredi")
MODULOS = ("pedido de venda", "frente de caixa", "contas a receber", "contas a pagar",
           "estoque", "compras", "faturamento", "cadastro de produtos", "cadastro de clientes",
           "tabela de preços", "inventário", "comissões", "devolução de venda", "transferência")
RELATORIOS = ("vendas por vendedor", "curva ABC", "fluxo de caixa", "posição de estoque",
              "livro de saídas", "títulos em aberto", "comissões do mês", "DRE gerencial")

ASSUNTOS = (
    "Rejeição {rej} ao transmitir NF-e",
    "Erro ao confirmar {modulo}",
    "NFC-e rejeitada no PDV {pdv}",
    "Boleto do {banco} não registra",
    "Nota fiscal de devolução com CFOP errado",
    "Relatório de {relatorio} não fecha com o financeiro",
    "Estoque negativo no produto {sku}",
    "PDV {pdv} travando ao finalizar venda",
    "SPED Fiscal com erro no registro {registro}",
    "Lentidão ao abrir {modulo}",
    "Impressora fiscal não imprime cupom",
    "Diferença de ICMS ST na nota fiscal {nf}",
    "Cliente do {uf} não consegue emitir nota fiscal",
    "Erro de certificado digital ao emitir NF-e",
    "Remessa do {banco} rejeitada pelo banco",
    "Comissão calculada errada no {modulo}",
    "Solicito novo campo no {modulo}",
    "Importação de XML de compra falhando",
    "Sangria do caixa não aparece no fechamento",
    "Etiqueta de gôndola saindo desalinhada",
    "Integração com o e-commerce parou de enviar pedidos",
    "Backup do banco de dados não concluiu",
    "Tabela de preços não atualiza no PDV {pdv}",
    "Erro ao gerar arquivo do SPED Contribuições",
    "Título baixado em duplicidade no contas a receber",
)

FRASES = (
    "O erro ocorre ao digitar um novo pedido para um cliente do estado do {uf}.",
    "Utilizar a nota fiscal {nf} como exemplo.",
    "Começou depois da atualização para a versão {versao}.",
    "A SEFAZ devolve a rejeição {rej} e a nota fica pendente de transmissão.",
    "Segue em anexo a imagem da rejeição e o arquivo XML gerado.",
    "O problema acontece em todas as filiais, não só na matriz.",
    "Já reiniciamos o servidor e o computador do caixa, sem sucesso.",
    "O relatório de {relatorio} mostra valores diferentes do financeiro.",
    "O boleto do {banco} volta com a mensagem de nosso número inválido.",
    "A tela fica carregando por vários minutos e depois fecha sozinha.",
    "Precisamos resolver até o fechamento do mês para entregar a obrigação acessória.",
    "O produto {sku} aparece com saldo negativo no estoque da loja {loja}.",
    "Caminho utilizado: Vendas > Pedidos > Novo, informando o cliente {cliente}.",
    "No PDV {pdv} a venda não finaliza e o cupom não é impresso.",
    "O contador pediu a correção antes de enviar o SPED Fiscal.",
    "Outros usuários da empresa também relataram o mesmo erro.",
    "A integração com a loja virtual parou de receber pedidos desde ontem.",
    "O valor do ICMS ST está sendo calculado em duplicidade.",
    "Gostaríamos de incluir um novo campo de observação no {modulo}.",
    "O caixa da loja {loja} está parado aguardando uma solução.",
)


def _slots(rnd: random.Random) -> dict[str, object]:
    return {
        "rej": rnd.choice(REJEICOES), "modulo": rnd.choice(MODULOS),
        "pdv": rnd.randint(1, 30), "banco": rnd.choice(BANCOS),
        "relatorio": rnd.choice(RELATORIOS), "sku": rnd.randint(10000, 99999),
        "registro": rnd.choice(("C100", "C170", "C190", "E110", "H010", "0200")),
        "nf": rnd.randint(1000, 250000), "uf": rnd.choice(UFS),
        "versao": f"2026.{rnd.randint(1, 11)}", "loja": rnd.randint(1, 40),
        "cliente": rnd.randint(100, 99999),
    }


def assunto_descricao(rnd: random.Random) -> tuple[str, str]:
    """A ticket's assunto (≤ 100 characters) and a 2-4 sentence descrição."""
    slots = _slots(rnd)
    assunto = rnd.choice(ASSUNTOS).format(**slots)
    frases = rnd.sample(FRASES, rnd.randint(2, 4))
    return assunto, " ".join(f.format(**slots) for f in frases)
