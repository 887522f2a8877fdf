import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.importing import FILE_KINDS, ImportRejected, article_import

METADATA_FIELDS = ("title", "publisher", "author", "url", "published_on", "language")


class Command(BaseCommand):
    help = (
        "Import every article in a folder (default: seeds/), with the metadata in a .json "
        "file of the same name beside each. Articles already imported are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default=str(settings.BASE_DIR / "seeds"))

    def handle(self, *args, folder, **options):
        folder = Path(folder)
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder.")
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FILE_KINDS)
        created = 0
        for path in files:
            try:
                result = article_import(
                    data=path.read_bytes(), filename=path.name, **self.metadata(path)
                )
            except ImportRejected as error:
                raise CommandError(str(error)) from None
            created += result.created
            verb = "Imported" if result.created else "Already imported"
            self.stdout.write(f"{verb}: {path.name} as “{result.article.title}”")
        self.stdout.write(f"Seeds: {created} new of {len(files)} in {folder}.")

    def metadata(self, path: Path) -> dict:
        meta_path = path.with_suffix(".json")
        if not meta_path.exists():
            return {}
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"{meta_path.name}: not valid JSON ({error}).") from None
        return {key: meta[key] for key in METADATA_FIELDS if meta.get(key)}
