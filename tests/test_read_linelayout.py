"""A text layer's rows cut by the layout of their lines (`linelayout`, issue 22, reader13), and the 自评表
template's 绩效指标 column merged down the table's left (generator trait 自评表左列)."""

from __future__ import annotations

from corpus.read.interpret import interpret_text, linelayout
from evaluation.generate_forms import generate
from evaluation.parse_eval import score_case


def _score(form) -> tuple[int, int, int]:
    decls = interpret_text(form.text.splitlines(), file="t.txt", ident_prefix="t")
    score = score_case(form.case(), [i for d in decls for i in d.indicators])
    return score.expected, score.matched, score.found


def test_a_rows_lines_are_those_of_cells_at_its_top_or_its_middle():
    name, value, note = 1, 2, 3
    # at the top: every cell from the first line on
    assert linelayout.laid_out([frozenset({name, value, note}), frozenset({name, note}), frozenset({name})])
    # at the middle: a name of three lines, an explanation of two and a value of one alternate
    centred = [frozenset({name}), frozenset({note}), frozenset({name, value}), frozenset({note}), frozenset({name})]
    assert linelayout.laid_out(centred)
    assert not linelayout.laid_out(centred, "top")
    # the explanation's last line read as the name's third: no row prints its cells that way
    assert not linelayout.laid_out([frozenset({name}), frozenset({note}), frozenset({name, value}),
                                    frozenset({name}), frozenset({note})])
    # a value of one line above a name of two and beside nothing: neither at the top nor at the middle
    assert not linelayout.laid_out([frozenset({value}), frozenset({name}), frozenset({name})])


def test_generated_text_layers_read_to_their_gold():
    # seed 2026, trait 多列折行: G-00412 (no header, a name of two lines printed above and below its values:
    # 0 of 12 read before), G-01767 (no header, an explanation between the name's lines: 0 of 13; 11 now, 12
    # read), G-01193 (a bracket opened at the name column's edge: 4 of 6)
    forms = {f.id: f for f in generate(1800, 2026) if f.id in ("G-00412", "G-01767", "G-01193")}
    assert {ident: _score(form) for ident, form in forms.items()} == {
        "G-00412": (12, 12, 12), "G-01767": (13, 11, 12), "G-01193": (6, 6, 6)}


def test_the_self_evaluation_templates_left_column_heads_no_column():
    # 财政部's 项目支出绩效自评表: 绩效指标 merged down the table's left, printed on the header row; four generated
    # forms of seed 2026 (tab, `|`, positions kept, single spaces) read to their gold (G-00961: 3 of 7 before
    # the heading was taken for no column of the rows)
    forms = {f.id: f for f in generate(1000, 2026) if f.id in ("G-00967", "G-00741", "G-00697", "G-00961")}
    assert {ident: form.traits["自评表左列"] for ident, form in forms.items()} == dict.fromkeys(forms, "是")
    assert forms["G-00967"].grid[0][0] == "绩效指标" and "偏差原因分析及改进措施" in forms["G-00967"].grid[0]
    # G-00967 is printed by the trait 自评表式样 (reader17) as 财政部's template prints it: the funds and 总体目标 blocks
    # above, actual values unlike the targets, a 评分标准 column after the deviation text; under its no-break-space
    # surface a wrapped name still loses its tail (12, 12, 12 before the trait; main 63e858a's reader reads the
    # new form at 12, 8, 10 too)
    assert {ident: _score(form) for ident, form in forms.items()} == {
        "G-00967": (12, 8, 10), "G-00741": (8, 8, 8), "G-00697": (7, 7, 7), "G-00961": (7, 7, 7)}
