"""How the importer names a cited work and labels a citation when the file does not: a work is its
first author, the four digits of its year and the start of its title; a label names one author,
two joined by "and", or the first "et al." for three or more or a "with" collaboration."""

from briefings.content.data import ReferenceData
from briefings.content.validate import default_label, work_key


def _ref(authors="Coy, M.", year="2009", title="Young women, local authority care and CSE"):
    return ReferenceData(key="k", authors=authors, year=year, title=title, text="", line=1)


def test_a_works_year_is_its_first_four_digits_whatever_surrounds_them():
    same = {work_key(_ref(year=year)) for year in ("2009", "2009a", "(2009)", "2009-10")}
    assert same == {work_key(_ref(year="2009"))}
    assert work_key(_ref(year="2009")).startswith("coy-2009-young-women")
    assert work_key(_ref(year="n.d.")).startswith("coy-young-women")


def test_a_label_names_one_or_two_authors_and_the_first_of_more():
    assert default_label(_ref(authors="Coy, M.")) == "Coy, 2009"
    assert default_label(_ref(authors="Coy, M. and Smith, J.")) == "Coy and Smith, 2009"
    assert default_label(_ref(authors="Coy, M., Smith, J. and Lee, K.")) == "Coy et al., 2009"


def test_a_collaboration_written_with_with_is_labelled_by_its_lead():
    assert default_label(_ref(authors="Beckett, H. with Warrington, C.")) == "Beckett et al., 2009"


def test_authors_in_which_no_name_can_be_told_apart_are_labelled_as_written():
    assert default_label(_ref(authors="and")) == "and, 2009"
