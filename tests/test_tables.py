"""Dictionary files are validated on load, with the file and line in every error."""

import pytest

from flashpoint.actors.dictionary import ActorDictionary
from flashpoint.tables import DataFileError, read_path


def write(tmp_path, text: str):
    path = tmp_path / "mine.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_comments_header_and_short_rows(tmp_path):
    rows = read_path(write(tmp_path, "# a comment\nphrase\tcode\tfrom\tuntil\tnote\n"
                                     "Gondor Guard\tGONMIL\n"))
    assert rows == [{"phrase": "Gondor Guard", "code": "GONMIL", "from": "", "until": "",
                     "note": ""}]
    assert rows[0].origin.endswith("mine.tsv:3")


@pytest.mark.parametrize(
    ("line", "message"),
    [("Gondor Guard\tgonmil", "mine.tsv:2: actor code 'gonmil'"),
     ("Gondor Guard\tGONMIL\t2019-13-01", "mine.tsv:2: column 'from': '2019-13-01' is not a date"),
     ("Gondor Guard\tGONMIL\t2020-01-01\t2019-01-01", "mine.tsv:2: 'until' 2019-01-01 is before"),
     ("\tGONMIL", "mine.tsv:2: column 'phrase' is empty"),
     ("a\tGONMIL\t\t\t\textra", "mine.tsv:2: 6 columns, expected at most 5")],
)
def test_bad_user_dictionary_lines_name_file_and_line(tmp_path, line, message):
    path = write(tmp_path, f"phrase\tcode\tfrom\tuntil\tnote\n{line}\n")
    with pytest.raises(DataFileError) as info:
        ActorDictionary.load([path])
    assert message in str(info.value)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(DataFileError, match="No such file"):
        read_path(tmp_path / "absent.tsv")
    binary = tmp_path / "bin.tsv"
    binary.write_bytes(b"phrase\tcode\n\xff\xfe\x00")
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_path(binary)
