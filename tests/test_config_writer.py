"""Writing the theme back: only the top-level theme line changes, atomically, the mode kept."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from batchtui.config_writer import write_theme

COMMENTED = """\
# batchtui  settings   (hand-written, odd spacing kept)
refresh = 5                 # seconds
theme   =  "textual-dark"   # the palette writes this line
notify = true

[profiles.work]
theme = "not the top-level one"
base_url = "https://api.openai.com/v1"
"""


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_theme_line_is_replaced_and_every_other_byte_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED)
    write_theme(path, "nord")
    expected = COMMENTED.replace('theme   =  "textual-dark"   #', 'theme   =  "nord"   #')
    assert path.read_text() == expected
    assert tomllib.loads(path.read_text())["profiles"]["work"]["theme"] == "not the top-level one"


def test_a_literal_string_theme_and_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"# top\r\ntheme = 'gruvbox'\r\n[keymap]\r\nquit = \"Q\"\r\n")
    write_theme(path, "nord")
    assert path.read_bytes() == b'# top\r\ntheme = "nord"\r\n[keymap]\r\nquit = "Q"\r\n'


def test_without_a_theme_line_one_goes_before_the_first_table_and_its_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('notify = true\n\n# the work account\n[profiles.work]\nbase_url = "https://x.example/v1"\n')
    write_theme(path, "nord")
    assert path.read_text() == (
        'notify = true\n\ntheme = "nord"\n# the work account\n[profiles.work]\nbase_url = "https://x.example/v1"\n'
    )


def test_without_a_table_the_theme_is_appended(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("notify = true  # no newline at the end")
    write_theme(path, "tokyo-night")
    assert path.read_text() == 'notify = true  # no newline at the end\ntheme = "tokyo-night"\n'


def test_a_name_with_quotes_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "x"\n')
    write_theme(path, 'we"ird\\name')
    assert tomllib.loads(path.read_text())["theme"] == 'we"ird\\name'


def test_the_files_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "x"\n')
    path.chmod(0o640)
    write_theme(path, "nord")
    assert mode_of(path) == 0o640


def test_no_file_creates_one_for_its_owner_alone(tmp_path: Path) -> None:
    path = tmp_path / "new" / "batchtui" / "config.toml"
    write_theme(path, "nord")
    assert path.read_text() == 'theme = "nord"\n'
    assert mode_of(path) == 0o600


def test_a_symlinked_file_is_written_where_the_link_points(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "batchtui.toml"
    real.parent.mkdir()
    real.write_text('theme = "x"\n')
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    write_theme(link, "nord")
    assert link.is_symlink() and real.read_text() == 'theme = "nord"\n'


def test_a_read_only_file_raises_and_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED)
    path.chmod(0o444)
    with pytest.raises(OSError):
        write_theme(path, "nord")
    assert path.read_text() == COMMENTED and mode_of(path) == 0o444
    assert [item.name for item in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left


def test_a_folder_that_cannot_hold_the_file_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(OSError):
        write_theme(blocker / "config.toml", "nord")


@pytest.mark.parametrize(
    "text",
    [
        'theme = """\nnord"""\n',  # a multi-line string: no safe one-line edit
        '"theme" = "x"\n',  # a quoted key the edit does not recognise
        "theme = [\n",  # not TOML any more
    ],
)
def test_a_file_it_cannot_edit_safely_raises_and_is_unchanged(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(OSError):
        write_theme(path, "nord")
    assert path.read_text() == text
