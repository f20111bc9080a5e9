"""The project store: projects, their imports and respondents, and an audit log.

    store = Store()                      # ./data/bereikwijzer.sqlite, or $BEREIKWIJZER_*
    p = store.create_project("Transvaal 2025", area_codes=["BU05183033"], team="wijk-zuid")
    result = store.add_import(p.id, respondents, {"file_name": "week1.xlsx", ...})
    result.new                           # respondents that were not in the project yet
    store.respondents(p.id)              # all imports combined, dtypes restored

Every write is one transaction: an import lands whole or not at all, also when the
process is killed halfway. No answers or personal data ever go into the audit log.
Database faults surface as `StoreError` with a Dutch message.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from store import effort as effort_log, export, frames, retention
from store.engine import (
    as_utc,
    checkpoint_wal,
    dumps,
    guarded,
    make_engine,
    now_utc,
    read_tx,
    resolve_url,
    write_tx,
)
from store.migrations import migrate
from store.schema import (
    DEFAULT_RETENTION_MONTHS,
    StoreError,
    audit,
    imports,
    projects,
    respondents as respondents_table,
    store_flags,
)

logger = logging.getLogger(__name__)

__all__ = ["ImportResult", "Project", "Store", "StoreError"]

_EDITABLE = ("name", "team", "area_codes", "reference_year", "reference_source", "min_age",
             "targets", "settings", "profile_names")


@dataclass(frozen=True)
class Project:
    """One project as stored. `settings` holds e.g. `retention_months` and `demo`."""

    id: int
    name: str
    team: str
    area_codes: tuple[str, ...]
    reference_year: int | None
    reference_source: str | None
    min_age: int
    targets: dict[str, dict[str, float]]
    settings: dict[str, Any]
    profile_names: dict[str, str]
    created_at: datetime
    updated_at: datetime
    purged_at: datetime | None = None

    @property
    def is_demo(self) -> bool:
        return bool(self.settings.get("demo"))

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["area_codes"] = list(self.area_codes)
        for k in ("created_at", "updated_at", "purged_at"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


@dataclass(frozen=True)
class ImportResult:
    """What add_import did: `new` respondents added, `duplicates` already known."""

    import_id: int
    new: int
    duplicates: int
    rows_read: int
    already_imported: bool = False  # the same file (content hash) was imported before
    dropped_columns: tuple[str, ...] = field(default=())
    excluded: dict[str, int] = field(default_factory=dict)  # rows that do not count, per reason
    warnings: tuple[str, ...] = ()  # the import's Dutch notes (frame.attrs["warnings"])


def _project(row: Any) -> Project:
    return Project(id=row.id, name=row.name, team=row.team, area_codes=tuple(row.area_codes),
                   reference_year=row.reference_year, reference_source=row.reference_source,
                   min_age=row.min_age, targets=dict(row.targets), settings=dict(row.settings),
                   profile_names=dict(row.profile_names), created_at=as_utc(row.created_at),
                   updated_at=as_utc(row.updated_at), purged_at=as_utc(row.purged_at))


def _safe_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Audit details are short scalars only: never answers, text or frames."""
    out: dict[str, Any] = {}
    for key, value in detail.items():
        if value is None or isinstance(value, (bool, int, float)):
            out[key] = value
        else:
            out[key] = frames.no_nul(str(value))[:200]
    return out


class Store:
    """Projects that persist. SQLite under the data directory unless a URL is given.

    `url`: any SQLAlchemy URL (default `$BEREIKWIJZER_DATABASE_URL`, else SQLite in
    `data_dir` / `$BEREIKWIJZER_DATA_DIR` / ./data). The schema is created or upgraded
    on opening. Methods take a project id; `team` filters where a login is used.
    """

    def __init__(self, url: str | None = None, *, data_dir: str | None = None) -> None:
        self.url, self.where = resolve_url(url, data_dir)
        self.engine = make_engine(self.url)
        try:
            with guarded(self.where):
                self.schema_version = migrate(self.engine)
        except StoreError:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def _write(self):
        return write_tx(self.engine, self.where)

    def _read(self):
        return read_tx(self.engine, self.where)

    def _log(self, conn: sa.Connection, project_id: int | None, action: str, who: str,
             **detail: Any) -> None:
        conn.execute(audit.insert().values(project_id=project_id, at=now_utc(),
                                           action=frames.no_nul(str(action)),
                                           actor=frames.no_nul(str(who or "")),
                                           detail=_safe_detail(detail)))

    # -- projects -------------------------------------------------------------------
    def create_project(self, name: str, *, team: str = "", area_codes: list[str] | tuple[str, ...] = (),
                       reference_year: int | None = None, reference_source: str | None = None,
                       min_age: int = 18, targets: dict | None = None,
                       settings: dict | None = None, profile_names: dict | None = None,
                       who: str = "") -> Project:
        """A new project; unless `settings` says otherwise, its respondents are kept for
        DEFAULT_RETENTION_MONTHS after the last import (privacy by default, docs/privacy.md).
        `settings={"retention_months": None}` keeps them until the project is deleted."""
        values = _clean_fields({
            "name": name, "team": team, "area_codes": area_codes,
            "reference_year": reference_year, "reference_source": reference_source,
            "min_age": min_age, "targets": targets or {},
            "settings": {"retention_months": DEFAULT_RETENTION_MONTHS, **(settings or {})},
            "profile_names": profile_names or {}})
        stamp = now_utc()
        with self._write() as conn:
            _check_unique_name(conn, values["name"], values["team"], None)
            pid = conn.execute(projects.insert().values(
                **values, created_at=stamp, updated_at=stamp)).inserted_primary_key[0]
            self._log(conn, pid, "project_created", who)
        return self.get_project(pid)

    def list_projects(self, team: str | None = None) -> list[Project]:
        """All projects (of one team when `team` is given), newest change first."""
        query = sa.select(projects).order_by(projects.c.updated_at.desc(), projects.c.id.desc())
        if team is not None:
            query = query.where(projects.c.team == team)
        with self._read() as conn:
            return [_project(r) for r in conn.execute(query)]

    def get_project(self, project_id: int, team: str | None = None) -> Project:
        project_id = _as_id(project_id)
        with self._read() as conn:
            row = conn.execute(sa.select(projects).where(projects.c.id == project_id)).first()
        if row is None or (team is not None and row.team != team):
            raise StoreError(f"Project {project_id} bestaat niet (meer). Kies een ander project.")
        return _project(row)

    def update_project(self, project_id: int, *, who: str = "", **changes: Any) -> Project:
        """Change any of name, team, area_codes, reference_year, reference_source,
        min_age, targets, settings, profile_names."""
        unknown = set(changes) - set(_EDITABLE)
        if unknown:
            raise TypeError(f"onbekende projectvelden: {sorted(unknown)}")
        project_id = _as_id(project_id)
        changes = _clean_fields(changes)
        with self._write() as conn:
            row = _lock_project(conn, project_id)
            if "name" in changes or "team" in changes:
                _check_unique_name(conn, changes.get("name", row.name),
                                   changes.get("team", row.team), project_id)
            conn.execute(projects.update().where(projects.c.id == project_id)
                         .values(updated_at=now_utc(), **changes))
            self._log(conn, project_id, "project_renamed" if set(changes) == {"name"}
                      else "project_updated", who, fields=",".join(sorted(changes)))
        return self.get_project(project_id)

    def rename_project(self, project_id: int, name: str, *, who: str = "") -> Project:
        return self.update_project(project_id, name=name, who=who)

    def delete_project(self, project_id: int, *, who: str = "") -> None:
        """Delete a project for good: its imports, respondents, aggregates and audit lines.

        One store-wide audit line (project_id NULL, detail `deleted_project`) says that it was
        deleted, by whom and how many respondents went: no project name, no answers. The
        id is never given to another project. Afterwards the SQLite WAL is checkpointed
        and truncated, so the deleted text is gone from disk, not only from the tables.
        """
        project_id = _as_id(project_id)
        with self._write() as conn:
            _lock_project(conn, project_id)
            n = conn.execute(respondents_table.delete()
                             .where(respondents_table.c.project_id == project_id)).rowcount
            retention.delete_dependants(conn, project_id)
            conn.execute(audit.delete().where(audit.c.project_id == project_id))
            conn.execute(projects.delete().where(projects.c.id == project_id))
            self._log(conn, None, "project_deleted", who, deleted_project=project_id, respondents=n)
        self._scrub()

    # -- retention and export (store.retention, store.export) ---------------------------
    def aggregates(self, project_id: int) -> pd.DataFrame:
        """Counts kept after the retention rule removed the respondents (may be empty)."""
        return retention.aggregates(self, project_id)

    def purge_expired(self, now: datetime | None = None, *, who: str = "bewaartermijn") -> dict[int, int]:
        """Apply every project's `retention_months`; return {project_id: respondents deleted}."""
        return retention.purge_expired(self, now, who=who)

    def export_project(self, project_id: int, *, who: str = "") -> dict[str, Any]:
        """Everything stored about one project, as plain JSON-ready data (AVG request)."""
        return export.export_project(self, project_id, who=who)

    def export_project_json(self, project_id: int, *, who: str = "") -> bytes:
        """export_project as UTF-8 JSON bytes, ready for a download button."""
        return export.export_project_json(self, project_id, who=who)

    # -- effort per channel and week (store.effort) ------------------------------------
    def add_effort(self, project_id: int, channel: str, day: Any, hours: float,
                   sessions: int = 0, *, who: str = "") -> int:
        """Log a channel's hours (and sessions) in the week of `day`."""
        return effort_log.add_effort(self, project_id, channel, day, hours, sessions, who=who)

    def effort(self, project_id: int) -> pd.DataFrame:
        """The project's effort rows: id, channel, week_start, hours, sessions."""
        return effort_log.effort_table(self, project_id)

    def delete_effort(self, project_id: int, effort_id: int, *, who: str = "") -> bool:
        return effort_log.delete_effort(self, project_id, effort_id, who=who)

    def _scrub(self) -> bool:
        """Flush deleted rows out of the SQLite WAL (store_engine.checkpoint_wal)."""
        return checkpoint_wal(self.engine, self.where)

    # -- imports --------------------------------------------------------------------
    def add_import(self, project_id: int, respondents: pd.DataFrame, meta: dict[str, Any]) -> ImportResult:
        """Store one import in one transaction; only respondents not seen before are added.

        `meta`: file_name (required), content_hash, tool, channel, mapping (dict or
        surveys Mapping), fingerprint (default: the mapping's), rows_read, who.
        A respondent is the same person when project, form fingerprint and the source's
        `respondent_id` match, unless that id is generated (`id_generated`, a row number):
        those never match another file (surveys.identity). The same file (content hash)
        twice adds nothing. Rows with an `excluded` reason are stored too, so the officer
        can see and override them; analysis filters them. `mapping` may carry
        `item_keys` {column: key} and `key_texts` {key: text} (surveys.matching), which
        `known_keys` gives back for next week's file.
        """
        project_id = _as_id(project_id)
        meta = {k: frames.no_nul(v) if isinstance(v, str) else v for k, v in meta.items()}
        if not meta.get("file_name"):
            raise StoreError("Een import heeft een bestandsnaam nodig.")
        mapping = meta.get("mapping") or {}
        if hasattr(mapping, "to_dict"):
            mapping = mapping.to_dict()
        fingerprint = str(meta.get("fingerprint") or mapping.get("fingerprint") or "")
        content_hash = str(meta.get("content_hash") or "")
        columns, dropped = frames.kept_columns(respondents)
        if dropped:
            logger.warning("import %s: kolommen niet opgeslagen: %s", meta["file_name"], dropped)
        frame = respondents.reset_index(drop=True)
        rows = frames.to_rows(frame, columns)
        keys = [frames.no_nul(k) for k in _person_keys(frame, content_hash or str(meta["file_name"]))]
        who = str(meta.get("who") or "")
        with self._write() as conn:
            _lock_project(conn, project_id)
            if content_hash:
                earlier = conn.execute(sa.select(imports.c.id).where(
                    imports.c.project_id == project_id,
                    imports.c.content_hash == content_hash)).scalar()
                if earlier is not None:
                    return ImportResult(earlier, 0, len(frame), len(frame), True, tuple(dropped))
            known = set(conn.execute(sa.select(respondents_table.c.person_key).where(
                respondents_table.c.project_id == project_id,
                respondents_table.c.fingerprint == fingerprint)).scalars())
            fresh = []
            for key, row in zip(keys, rows):
                if key not in known:
                    known.add(key)
                    fresh.append((key, row))
            import_id = conn.execute(imports.insert().values(
                project_id=project_id, file_name=str(meta["file_name"]),
                content_hash=content_hash, tool=str(meta.get("tool") or ""),
                channel=str(meta.get("channel") or mapping.get("channel") or ""),
                fingerprint=fingerprint, mapping=mapping,
                columns=frames.column_spec(frame, columns),
                rows_read=int(meta.get("rows_read") or len(frame)), rows_new=len(fresh),
                rows_duplicate=len(frame) - len(fresh), imported_at=now_utc(),
                imported_by=who)).inserted_primary_key[0]
            for start in range(0, len(fresh), 2000):
                conn.execute(respondents_table.insert(), [
                    {**row, "project_id": project_id, "import_id": import_id,
                     "fingerprint": fingerprint, "person_key": key}
                    for key, row in fresh[start:start + 2000]])
            conn.execute(projects.update().where(projects.c.id == project_id)
                         .values(updated_at=now_utc(), purged_at=None))
            self._log(conn, project_id, "import", who, import_id=import_id,
                      file_name=meta["file_name"], tool=meta.get("tool") or "",
                      new=len(fresh), duplicates=len(frame) - len(fresh))
        excluded = {}
        if "excluded" in frame.columns:
            reasons = frame["excluded"].dropna().astype(str)
            excluded = {str(k): int(v) for k, v in reasons[reasons != ""].value_counts().items()}
        return ImportResult(import_id, len(fresh), len(frame) - len(fresh), len(frame),
                            False, tuple(dropped), excluded,
                            tuple(str(w) for w in respondents.attrs.get("warnings", ())))

    def remove_import(self, project_id: int, import_id: int, *, who: str = "") -> int:
        """Remove one import and its respondents; returns how many respondents went."""
        project_id, import_id = _as_id(project_id), _as_id(import_id, "Import")
        with self._write() as conn:
            _lock_project(conn, project_id)
            row = conn.execute(sa.select(imports.c.file_name).where(
                imports.c.id == import_id, imports.c.project_id == project_id)).first()
            if row is None:
                raise StoreError(f"Import {import_id} hoort niet (meer) bij dit project.")
            n = conn.execute(respondents_table.delete()
                             .where(respondents_table.c.import_id == import_id)).rowcount
            conn.execute(imports.delete().where(imports.c.id == import_id))
            conn.execute(projects.update().where(projects.c.id == project_id)
                         .values(updated_at=now_utc()))
            self._log(conn, project_id, "import_removed", who, import_id=import_id,
                      file_name=row.file_name, respondents=n)
        self._scrub()
        return n

    def set_excluded(self, project_id: int, import_id: int, rows: dict[int, str], *,
                     who: str = "") -> int:
        """The officer's override of `excluded` for rows of one import, by `source_row`
        ({row: reason}, "" = counts after all). Returns how many respondents changed."""
        project_id, import_id = _as_id(project_id), _as_id(import_id, "Import")
        allowed = {"", "test", "preview", "not_approved", "non_resident", "under_min_age", "other"}
        bad = sorted({str(r) for r in rows.values()} - allowed)
        try:
            rows = {int(row): reason for row, reason in rows.items()}
            if any(not 0 <= row <= _MAX_ID for row in rows):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            raise StoreError("Geef de rijnummers als hele getallen, zoals het rekenblad ze "
                             "toont.") from None
        if bad:
            raise StoreError(f"Onbekende reden om niet mee te tellen: {', '.join(bad)}. "
                             f"Kies uit: {', '.join(sorted(allowed - {''}))}, of leeg.")
        changed = 0
        with self._write() as conn:
            _lock_project(conn, project_id)
            for row, reason in rows.items():
                changed += conn.execute(respondents_table.update().where(
                    respondents_table.c.project_id == project_id,
                    respondents_table.c.import_id == import_id,
                    respondents_table.c.source_row == int(row)).values(excluded=str(reason))).rowcount
            conn.execute(projects.update().where(projects.c.id == project_id)
                         .values(updated_at=now_utc()))
            self._log(conn, project_id, "excluded_changed", who, import_id=import_id,
                      respondents=changed)
        return changed

    def imports(self, project_id: int) -> pd.DataFrame:
        """One row per import, oldest first, with how many respondents it still holds."""
        project_id = _as_id(project_id)
        counts = (sa.select(respondents_table.c.import_id, sa.func.count().label("n"))
                  .group_by(respondents_table.c.import_id).subquery())
        query = (sa.select(imports.c.id.label("import_id"), imports.c.file_name,
                           imports.c.content_hash, imports.c.tool, imports.c.channel,
                           imports.c.fingerprint, imports.c.rows_read, imports.c.rows_new,
                           imports.c.rows_duplicate, imports.c.imported_at,
                           imports.c.imported_by,
                           sa.func.coalesce(counts.c.n, 0).label("respondents"))
                 .outerjoin(counts, counts.c.import_id == imports.c.id)
                 .where(imports.c.project_id == project_id).order_by(imports.c.id))
        with self._read() as conn:
            result = conn.execute(query)
            table = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        table["imported_at"] = pd.to_datetime(table["imported_at"].map(as_utc), utc=True)
        return table

    def respondents(self, project_id: int, import_ids: list[int] | None = None) -> pd.DataFrame:
        """All respondents of a project (or of some imports), as the canonical table."""
        project_id = _as_id(project_id)
        cols = [respondents_table.c[c] for c in frames.CANONICAL_COLUMNS]
        answers_text = sa.cast(respondents_table.c.answers, sa.Text)  # parsed in one go below
        query = (sa.select(*cols, answers_text)
                 .where(respondents_table.c.project_id == project_id)
                 .order_by(respondents_table.c.id))
        spec_query = (sa.select(imports.c.columns).where(imports.c.project_id == project_id)
                      .order_by(imports.c.id))
        if import_ids is not None:
            import_ids = [_as_id(i, "Import") for i in import_ids]
            query = query.where(respondents_table.c.import_id.in_(list(import_ids)))
            spec_query = spec_query.where(imports.c.id.in_(list(import_ids)))
        with self._read() as conn:
            specs = list(conn.execute(spec_query).scalars())
            rows = conn.execute(query).all()
        values: list[Any] = list(zip(*rows)) if rows else [[] for _ in range(len(cols) + 1)]
        by_name = dict(zip(frames.CANONICAL_COLUMNS, values))
        answers = json.loads("[" + ",".join(values[-1]) + "]")
        return frames.from_rows(by_name, answers, specs)

    def known_keys(self, project_id: int) -> dict[str, str]:
        """{key: question text} of every item and text column imported into the project,
        so next week's file, imported on its own, matches the same keys (oldest first)."""
        project_id = _as_id(project_id)
        from surveys.matching import better_text

        known: dict[str, str] = {}
        for mapping in self._mappings(project_id):
            texts = mapping.get("key_texts")
            if isinstance(texts, dict):
                for key, text in texts.items():
                    known[str(key)] = better_text(known.get(str(key)), str(text))
        return known

    def known_layouts(self, project_id: int) -> list[tuple[list[str], dict[str, str]]]:
        """[(columns of the file, {column: key})] of the project's imports, so a file whose
        headers are only codes takes the keys of the same form's export with texts."""
        out = []
        for mapping in self._mappings(project_id):
            columns, keys = mapping.get("columns"), mapping.get("item_keys")
            if isinstance(columns, list) and isinstance(keys, dict) and keys:
                out.append(([str(c) for c in columns], {str(c): str(k) for c, k in keys.items()}))
        return out

    def _mappings(self, project_id: int) -> list[dict[str, Any]]:
        project_id = _as_id(project_id)
        with self._read() as conn:
            found = conn.execute(sa.select(imports.c.mapping)
                                 .where(imports.c.project_id == project_id)
                                 .order_by(imports.c.id)).scalars()
            return [m for m in found if isinstance(m, dict)]

    def mapping_for_fingerprint(self, fingerprint: str, project_id: int | None = None, *,
                                team: str | None = None) -> dict | None:
        """The latest mapping used for this form: in the project first, else in any project
        of `team` when given (a logged-in session: never another team's), else anywhere."""
        project_id = None if project_id is None else _as_id(project_id)
        base = (sa.select(imports.c.mapping).where(imports.c.fingerprint == fingerprint)
                .order_by(imports.c.id.desc()).limit(1))
        with self._read() as conn:
            if project_id is not None:
                found = conn.execute(base.where(imports.c.project_id == project_id)).scalar()
                if found is not None:
                    return dict(found)
            if team is not None:
                base = base.where(imports.c.project_id.in_(
                    sa.select(projects.c.id).where(projects.c.team == team)))
            found = conn.execute(base).scalar()
        return dict(found) if found is not None else None

    # -- audit ----------------------------------------------------------------------
    def log_event(self, project_id: int | None, action: str, *, who: str = "",
                  **detail: Any) -> None:
        """Record e.g. a report download: `log_event(pid, "report_download", format="xlsx")`.
        A project that does not exist (any more) gives a StoreError: its lines are gone."""
        project_id = None if project_id is None else _as_id(project_id)
        with self._write() as conn:
            if project_id is not None:
                _lock_project(conn, project_id, share=True)
            self._log(conn, project_id, action, who, **detail)

    def audit(self, project_id: int | None = None) -> pd.DataFrame:
        """The audit log (of one project, or all), oldest first. A deleted project's log is
        the store-wide line that it was deleted (its own lines went with it)."""
        project_id = None if project_id is None else _as_id(project_id)
        query = sa.select(audit.c.id, audit.c.at, audit.c.project_id, audit.c.action,
                          audit.c.actor, audit.c.detail).order_by(audit.c.id)
        with self._read() as conn:
            if project_id is None:
                rows = conn.execute(query).all()
            elif conn.execute(sa.select(projects.c.id).where(projects.c.id == project_id)).first():
                rows = conn.execute(query.where(audit.c.project_id == project_id)).all()
            else:  # a store migrated to v4 may hold an older project's line with this id too
                rows = [r for r in conn.execute(query.where(
                    audit.c.project_id.is_(None), audit.c.action == "project_deleted"))
                    if isinstance(r.detail, dict) and r.detail.get("deleted_project") == project_id]
        rows = sorted(rows, key=lambda r: r.id)
        table = pd.DataFrame([r[1:] for r in rows],
                             columns=["at", "project_id", "action", "actor", "detail"])
        table["at"] = pd.to_datetime(table["at"].map(as_utc), utc=True)
        return table

    def flag_set_at(self, key: str) -> datetime | None:
        """When a store-wide flag was set (None: never)."""
        with self._read() as conn:
            value = conn.execute(sa.select(store_flags.c.set_at).where(store_flags.c.key == key)).scalar()
        return None if value is None else as_utc(value)

    def mark_once(self, key: str) -> bool:
        """Set a store-wide flag; True only for the one caller that set it first."""
        try:
            with self._write() as conn:
                if conn.execute(sa.select(store_flags.c.key).where(store_flags.c.key == key)).first():
                    return False
                conn.execute(store_flags.insert().values(key=key, set_at=now_utc()))
            return True
        except StoreError:
            with self._read() as conn:
                if conn.execute(sa.select(store_flags.c.key).where(store_flags.c.key == key)).first():
                    return False
            raise


def _clean_name(name: str) -> str:
    name = " ".join(frames.no_nul(str(name)).split())
    if not name:
        raise StoreError("Geef het project een naam.")
    return name[:200]


_MAX_ID = 2**63 - 1


def _as_id(value: Any, noun: str = "Project") -> int:
    """A database id from what a caller passed (3, "3", numpy ints); anything else, or an
    id beyond 64 bits, is a Dutch StoreError, so SQLite and PostgreSQL answer alike."""
    number = None
    if ((isinstance(value, (int, np.integer)) and not isinstance(value, bool))
            or (isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,19}\s*", value))):
        number = int(value)
    elif isinstance(value, (float, np.floating)) and float(value).is_integer():
        number = int(value)  # an id that went through a frame column with gaps
    if number is None or not 0 <= number <= _MAX_ID:
        shown = str(value)[:40]
        if noun == "Import":
            raise StoreError(f"Import {shown} hoort niet (meer) bij dit project.")
        raise StoreError(f"Project {shown} bestaat niet (meer). Kies een ander project.")
    return number


def _whole(value: Any, what: str, low: int, high: int) -> int:
    """A whole number in [low, high] or a Dutch StoreError naming `what`."""
    try:
        number = float(value)
        if isinstance(value, bool) or not number.is_integer() or not low <= number <= high:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise StoreError(f"{what} moet een heel getal van {low} tot en met {high} zijn, niet "
                         f"'{str(value)[:40]}'.") from None
    return int(number)


def _json_ready(value: Any, what: str) -> dict[str, Any]:
    """A settings-like dict as the database will hold it (JSON), or a Dutch StoreError."""
    if not isinstance(value, dict):
        raise StoreError(f"{what} kunnen niet worden opgeslagen: verwacht namen met waarden, "
                         f"geen {type(value).__name__}.")
    try:
        return json.loads(dumps(value))  # what the database will hold, NaN and sets refused
    except (TypeError, ValueError):
        raise StoreError(f"{what} kunnen niet worden opgeslagen: alleen tekst, gewone getallen, "
                         "ja/nee en lijsten.") from None


def _clean_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """The editable project fields checked and normalised, the same on every database."""
    out = dict(changes)
    if "name" in out:
        out["name"] = _clean_name(out["name"])
    if "team" in out:
        out["team"] = frames.no_nul(str(out["team"] or "")) or ""
    if "area_codes" in out:
        codes = out["area_codes"]
        codes = [codes] if isinstance(codes, str) else list(codes or ())
        out["area_codes"] = [frames.no_nul(str(c).strip()) for c in codes if str(c).strip()]
    if out.get("reference_year") is not None:
        out["reference_year"] = _whole(out["reference_year"], "Het peiljaar", 1900, 2200)
    if out.get("reference_source") is not None:
        out["reference_source"] = frames.no_nul(str(out["reference_source"]))[:200]
    if "min_age" in out:
        out["min_age"] = _whole(out["min_age"], "De minimumleeftijd", 0, 120)
    for key, what in (("targets", "De streefwaarden"), ("settings", "De instellingen"),
                      ("profile_names", "De profielnamen")):
        if key in out:
            out[key] = _json_ready(out[key], what)
    months = (out.get("settings") or {}).get("retention_months")
    if months is not None:
        out["settings"]["retention_months"] = _whole(months, "De bewaartermijn in maanden",
                                                     1, 1200)
    return out


def _check_unique_name(conn: sa.Connection, name: str, team: str, project_id: int | None) -> None:
    query = sa.select(projects.c.id).where(projects.c.name == name, projects.c.team == team)
    if project_id is not None:
        query = query.where(projects.c.id != project_id)
    if conn.execute(query).first() is not None:
        raise StoreError(f"Er is al een project met de naam '{name}'. Kies een andere naam.")


def _lock_project(conn: sa.Connection, project_id: int, *, share: bool = False) -> Any:
    """The project row, locked for this transaction (PostgreSQL; SQLite locks the file).
    `share`: only kept from being deleted meanwhile (FOR SHARE), e.g. for an audit line."""
    row = conn.execute(sa.select(projects).where(projects.c.id == project_id)
                       .with_for_update(read=share)).first()
    if row is None:
        raise StoreError(f"Project {project_id} bestaat niet (meer). Kies een ander project.")
    return row


def _person_keys(frame: pd.DataFrame, salt: str) -> list[str]:
    """The dedup key of every row, by the one rule of surveys.identity (also used by
    combine_respondents): a real source id is the person, a generated row number only
    the same row of the same file content (`salt`)."""
    from surveys.identity import person_keys

    return person_keys(frame, salt)
