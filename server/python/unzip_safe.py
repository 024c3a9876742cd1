"""Extracts an uploaded ZIP, refusing anything that could escape the target or exhaust the disk.

`python unzip_safe.py <zip> <target>`: exit 2 with a message on stderr when the archive is refused.
"""

import stat
import sys
import zipfile
from pathlib import Path, PurePosixPath

MAX_ENTRIES = 20_000
MAX_TOTAL = 500 * 1024 * 1024
MAX_RATIO = 200


def refuse(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def main(archive, target):
    target = Path(target).resolve()
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        refuse("The upload is not a ZIP archive.")
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ENTRIES:
            refuse(f"The archive has {len(members)} entries; at most {MAX_ENTRIES} are accepted.")
        total = sum(m.file_size for m in members)
        if total > MAX_TOTAL:
            refuse("The archive expands to more than 500 MiB.")
        for m in members:
            name = m.filename
            parts = PurePosixPath(name).parts
            if name.startswith(("/", "\\")) or ":" in name or ".." in parts or "\\" in name:
                refuse(f"The archive entry {name!r} points outside the project.")
            mode = (m.external_attr >> 16) & 0xFFFF
            if stat.S_ISLNK(mode):
                refuse(f"The archive entry {name!r} is a symbolic link.")
            if m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 10 * 1024 * 1024:
                refuse(f"The archive entry {name!r} looks like a ZIP bomb.")
            destination = (target / name).resolve()
            if destination != target and target not in destination.parents:
                refuse(f"The archive entry {name!r} points outside the project.")
        zf.extractall(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
