"""The `bereikwijzer` command line: the same engine as the dashboard, for batch work.

Bad input exits 2 with a one-line Dutch message on stderr; a fault of Bereikwijzer itself exits
1 with one Dutch line; `--debug` shows the traceback of either.
Each command only parses arguments and calls library functions.
"""
from __future__ import annotations

import json
import logging
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

from surveys.errors import BereikwijzerError


def _kinds(error: BaseException) -> set[str]:
    """The exception's class names: typer vendors its own click (typer._click), so usage
    errors are recognised by name, whichever click raised them."""
    return {cls.__name__ for cls in type(error).__mro__}


def usage_message(error: Exception) -> str:
    """A wrong option or value as one Dutch line (click's own text is English)."""
    kinds = _kinds(error)
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "bereikwijzer"
    hint = f" Typ '{command} --help' voor alle opties."
    option = getattr(error, "option_name", None)
    if "NoSuchOption" in kinds:
        maybe = sorted(getattr(error, "possibilities", None) or ())
        guess = f" Bedoelt u {' of '.join(maybe)}?" if maybe else ""
        return f"De optie '{option}' bestaat niet.{guess}{hint}"
    if "BadOptionUsage" in kinds:
        return f"Bij de optie '{option}' hoort een waarde; die ontbreekt of klopt niet.{hint}"
    param = getattr(error, "param", None)
    where = getattr(error, "param_hint", None) or (param.opts[0] if param is not None and param.opts else "")
    if "MissingParameter" in kinds:
        if param is None or param.name in ("files", "file"):
            return f"Geef een of meer bestanden op (bijv. enquete.xlsx).{hint}"
        return f"Er ontbreekt iets: {where}.{hint}"
    if "BadParameter" in kinds:
        return f"De waarde bij {where} klopt niet; kijk of er een getal of een bestaand bestand hoort.{hint}"
    return f"Deze opdracht begrijpt Bereikwijzer niet.{hint}"


# The help screen's own words (typer reads these module constants each time it draws one)
rich_utils.OPTIONS_PANEL_TITLE = "Opties"
rich_utils.ARGUMENTS_PANEL_TITLE = "Argumenten"
rich_utils.COMMANDS_PANEL_TITLE = "Opdrachten"
rich_utils.ERRORS_PANEL_TITLE = "Fout"
rich_utils.DEFAULT_STRING = "[standaard: {}]"
rich_utils.REQUIRED_LONG_STRING = "[verplicht]"
rich_utils.ENVVAR_STRING = "[omgevingsvariabele: {}]"
rich_utils.DEPRECATED_STRING = "(verouderd) "
rich_utils.ABORTED_TEXT = "Afgebroken."
HELP_TEXT = "Toon deze uitleg en stop."


class DutchHelp:
    """The usage line and the --help option in Dutch, for the group and every command."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Gebruik: ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option


class DutchCommand(DutchHelp, TyperCommand):
    """A command whose help screen speaks Dutch."""


class DutchGroup(DutchHelp, TyperGroup):
    """Typer's command group with usage errors in Dutch, one line, exit code 2."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except Exception as error:
            kinds = _kinds(error)
            if not standalone_mode or not kinds & {"UsageError", "Abort"}:
                raise
            if "NoArgsIsHelpError" in kinds:  # no command: the help, as before
                ctx = getattr(error, "ctx", None)
                typer.echo(ctx.get_help() if ctx is not None else "", err=True)
            elif "Abort" in kinds:
                typer.echo("Afgebroken.", err=True)
                sys.exit(1)
            else:
                typer.echo(f"Fout: {usage_message(error)}", err=True)
            sys.exit(2)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


app = typer.Typer(add_completion=False, no_args_is_help=True, cls=DutchGroup,
                  options_metavar="[OPTIES]", subcommand_metavar="OPDRACHT [ARGUMENTEN]...",
                  help="Bereikwijzer: wie heeft de wijkaanpak nog niet gehoord?")
_state = {"debug": False}


class UserInputError(BereikwijzerError):
    """A problem the user can fix; printed as one Dutch line."""

    code = "invoer"


def _fail(error: Exception) -> None:
    if _state["debug"]:
        raise error
    typer.echo(f"Fout: {error}", err=True)
    raise typer.Exit(code=2)


def _guarded(fn):
    """Turn every known user error into exit 2 with a Dutch message."""
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BereikwijzerError as error:  # every error written for the user
            _fail(error)
        except OSError as error:  # unreadable file or folder: say which, in Dutch
            _fail(UserInputError(f"'{error.filename or ''}' kan niet worden gelezen of "
                                 f"geschreven. Controleer de naam, de map en de rechten."))
        except Exception as error:  # a bug in Bereikwijzer, not in the user's input
            if _state["debug"]:
                raise
            logging.getLogger("bereikwijzer").debug("fout in Bereikwijzer", exc_info=True)
            typer.echo(f"Fout in Bereikwijzer zelf, niet in uw bestand ({type(error).__name__}). "
                       "Draai de opdracht opnieuw met --debug voor de details en meld die aan de "
                       "beheerder.", err=True)
            raise typer.Exit(code=1) from None
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise UserInputError(f"Bestand '{path}' bestaat niet. Controleer de naam en de map.")
    if path.is_dir():
        raise UserInputError(f"'{path}' is een map, geen bestand.")
    return path.read_bytes()


def _json_text(data: dict) -> str:
    """Strict JSON: NaN and infinities are written as null."""
    from profiles.model import json_safe

    return json.dumps(json_safe(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)


def _write_json(data: dict, out: Path | None) -> None:
    text = _json_text(data)
    if out is None or str(out) == "-":
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Toon de volledige foutmelding.")) -> None:
    _state["debug"] = debug
    # The library's log lines are for developers (e.g. reports.privacy naming a raw cell key):
    # shown with --debug, never mixed into the Dutch output a user reads.
    logging.basicConfig(level=logging.DEBUG if debug else logging.CRITICAL + 1,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command(cls=DutchCommand)
@_guarded
def inspect(file: Path, sheet: str | None = typer.Option(None, "--sheet"),
            as_json: bool = typer.Option(False, "--json", help="Schrijf JSON naar stdout.")) -> None:
    """Laat zien wat er in een export staat: tool, kopregels, vragen, persoonsgegevens."""
    from surveys import describe_inspection
    from surveys.bounded import inspect_bounded

    report = inspect_bounded(_read_bytes(file), file.name, sheet)  # a crafted file costs a child
    typer.echo(_json_text(report) if as_json
               else describe_inspection(report))


def _load_reference(kwb: Path | None, cbs: int | None, reference: Path | None,
                    areas: list[str], min_age: int):
    from reference import load as ref
    chosen = [x is not None for x in (kwb, cbs, reference)]
    if sum(chosen) != 1:
        raise UserInputError("Kies precies één bron: --kwb BESTAND, --cbs JAAR of --reference BESTAND.")
    from reference.bounded import reference_bounded

    if reference is not None:
        return reference_bounded("load_custom_reference", _read_bytes(reference), reference.name,
                                 min_age=min_age)
    if not areas:
        raise UserInputError("Geef minstens één gebiedscode met --area (bijv. BU0363AA02).")
    if kwb is not None:
        return reference_bounded("load_kwb_file", _read_bytes(kwb), kwb.name, areas=areas,
                                 min_age=min_age)
    assert cbs is not None  # exactly one source, checked above
    return ref.load_cbs(cbs, areas=areas, min_age=min_age)


JOINT_HELP = ("tabel leeftijd × herkomst, woning of huishouden (bijv. van de gemeente of de BRP): "
              "verdeelt die groep naar leeftijd, zodat ze niet 'onzeker' blijft")
POSTCODES_HELP = "tabel met de kolommen postcode en buurtcode"
FILE_AREA_HELP = "BESTAND=BUURTCODE: buurt voor een heel bestand"


def _with_joint(ref, joint: Path | None):
    """The reference with origin or tenure split by age from --joint (ui.joint_table, in a
    bounded child); unchanged without --joint."""
    if joint is None:
        return ref
    from ui.joint_table import apply_joint_bounded

    return apply_joint_bounded(ref, _read_bytes(joint), joint.name)


def _load_respondents(files: list[Path], mapping: Path | None):
    """surveys.import_files (the dashboard's path too) in a time- and memory-bounded child."""
    from surveys.bounded import import_files_bounded

    mapping_data = _read_mapping(mapping) if mapping else None
    return import_files_bounded([(f.name, _read_bytes(f)) for f in files], mapping=mapping_data)


def _counting(respondents):
    """Only the rows that count: rows with an `excluded` reason (test, preview, not
    approved, not living in the area) stay out of the profiles."""
    if "excluded" not in respondents.columns:
        return respondents
    keep = respondents["excluded"].fillna("").astype(str) == ""
    kept = respondents.loc[keep].reset_index(drop=True)
    kept.attrs = dict(respondents.attrs)
    return kept


def _with_excluded(data: dict, respondents) -> dict:
    """The coverage JSON with `excluded: {reason: count}` (DESIGN.md, CLI)."""
    from surveys import excluded_counts

    counted = excluded_counts(respondents)
    if isinstance(data.get("excluded"), dict):
        counted = {**counted, **data["excluded"]}
    return {**data, "excluded": counted}


def _traceable(data: dict, respondents) -> dict:
    """Every profile assignment with the file name as given and the spreadsheet row."""
    rows = data.get("assignments") or []
    files = respondents["source"].astype(str).str.rsplit("#", n=1).str[0].tolist() \
        if "source" in respondents.columns else [None] * len(respondents)
    lines = respondents["source_row"].tolist() if "source_row" in respondents.columns \
        else [None] * len(respondents)
    ids = respondents["respondent_id"].astype(str).tolist() \
        if "respondent_id" in respondents.columns else []
    if len(rows) != len(respondents) or [str(r.get("respondent_id")) for r in rows] != ids:
        return {**data, "assignments": [{**r, "file": None, "row": None} for r in rows]}
    return {**data, "assignments": [
        {**r, "file": f, "row": None if n is None or math.isnan(float(n)) else int(n)}
        for r, f, n in zip(rows, files, lines)]}


def _read_mapping(path: Path):
    """A saved mapping: one JSON object, or a list of them (one per form)."""
    try:
        data = json.loads(_read_bytes(path))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserInputError(f"Koppelbestand '{path.name}' is geen geldige JSON (regel "
                             f"{getattr(error, 'lineno', '?')}). Sla de koppeling opnieuw op "
                             f"vanuit Bereikwijzer.") from error
    if not isinstance(data, (dict, list)) or (
            isinstance(data, list) and not all(isinstance(item, dict) for item in data)):
        raise UserInputError(f"Koppelbestand '{path.name}' moet een koppeling (een JSON-object) "
                             f"of een lijst van koppelingen bevatten.")
    return data


@app.command(cls=DutchCommand)
@_guarded
def reference(kwb: Path | None = typer.Option(None, "--kwb"),
              cbs: int | None = typer.Option(None, "--cbs"),
              custom: Path | None = typer.Option(None, "--reference"),
              joint: Path | None = typer.Option(None, "--joint", help=JOINT_HELP),
              area: list[str] = typer.Option([], "--area"),
              min_age: int = typer.Option(18, "--min-age", min=0, max=100),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """Toon de bevolking van een buurt, wijk of gemeente volgens CBS."""
    from reference.load import describe_reference

    ref = _with_joint(_load_reference(kwb, cbs, custom, area, min_age), joint)
    typer.echo(_json_text(ref.to_dict()) if as_json
               else describe_reference(ref))


@app.command(cls=DutchCommand)
@_guarded
def coverage(files: list[Path],
             kwb: Path | None = typer.Option(None, "--kwb"),
             cbs: int | None = typer.Option(None, "--cbs"),
             custom: Path | None = typer.Option(None, "--reference"),
             joint: Path | None = typer.Option(None, "--joint", help=JOINT_HELP),
             area: list[str] = typer.Option([], "--area"),
             min_age: int = typer.Option(18, "--min-age", min=0, max=100),
             mapping: Path | None = typer.Option(None, "--mapping"),
             json_out: Path | None = typer.Option(None, "--json"),
             report: Path | None = typer.Option(None, "--report")) -> None:
    """Vergelijk de respondenten met de bevolking: wie is nog niet bereikt?"""
    from engagement.coverage import compute_coverage, describe_coverage

    ref = _with_joint(_load_reference(kwb, cbs, custom, area, min_age), joint)
    respondents = _load_respondents(files, mapping)
    if report is not None:
        _check_report_suffix(report)
        result = _write_full_report(report, respondents, ref)
    else:
        result = compute_coverage(respondents, ref)
    if json_out is not None:
        _write_json(_with_excluded(result.to_dict(), respondents), json_out)
    typer.echo(describe_coverage(result))


@app.command(cls=DutchCommand)
@_guarded
def profiles(files: list[Path],
             method: str = typer.Option("lca", "--method", help="lca, kmeans, kompas of vng "
                                        "(de typologie van de VNG Burgerpeiling)"),
             k: str = typer.Option("auto", "--k"),
             mapping: Path | None = typer.Option(None, "--mapping"),
             json_out: Path | None = typer.Option(None, "--json")) -> None:
    """Vind betrokkenheidsprofielen in de antwoorden."""
    from profiles import describe_profiles, fit_profiles

    if method not in ("lca", "kmeans", "kompas", "vng"):
        raise UserInputError(f"Onbekende methode '{method}'. Kies lca, kmeans, kompas of vng.")
    if k != "auto" and not k.isdigit():
        raise UserInputError(f"--k moet 'auto' of een getal zijn, niet '{k}'.")
    if method == "vng":
        _vng_typology(files, json_out)
        return
    respondents = _counting(_load_respondents(files, mapping))
    result = fit_profiles(respondents, method=method, k="auto" if k == "auto" else int(k))
    if json_out is not None:
        _write_json(_traceable(result.to_dict(), respondents), json_out)
    typer.echo(describe_profiles(result))


def _typology_in_child(data: bytes, file_name: str):
    """Read one export as it is (its own codes and variable names) and type it."""
    from profiles import typology_from_export
    from surveys.readers import read_export

    return typology_from_export(read_export(data, file_name))


def _vng_typology(files: list[Path], json_out: Path | None) -> None:
    """The VNG Burgerpeiling typology per file, read in a bounded child like every import."""
    from surveys.bounded import bounded_limits
    from surveys.limits import run_bounded

    results = []
    for path in files:
        timeout, memory = bounded_limits(1)
        result = run_bounded(_typology_in_child, _read_bytes(path), path.name, timeout=timeout,
                             memory_mb=memory, file_name=path.name).value
        if result is None:
            raise UserInputError(f"'{path.name}' is geen VNG Burgerpeiling (de variabelen van de "
                                 "typologie ontbreken). Kies lca, kmeans of kompas.")
        results.append({"file": path.name, "typology": result.to_dict()})
        typer.echo(result.summary)
        typer.echo(result.assumption)
        for warning in result.warnings:
            typer.echo(f"Let op: {warning}")
    if json_out is not None:
        _write_json({"method": "vng", "files": results}, json_out)


@app.command(cls=DutchCommand)
@_guarded
def report(files: list[Path],
           area: list[str] = typer.Option([], "--area"),
           kwb: Path | None = typer.Option(None, "--kwb"),
           cbs: int | None = typer.Option(None, "--cbs"),
           custom: Path | None = typer.Option(None, "--reference"),
           joint: Path | None = typer.Option(None, "--joint", help=JOINT_HELP),
           min_age: int = typer.Option(18, "--min-age", min=0, max=100),
           mapping: Path | None = typer.Option(None, "--mapping"),
           geo: Path | None = typer.Option(None, "--geo", help="CBS wijk- en buurtkaart (.gpkg of .geojson): "
                                           "bereik per buurt met kaart"),
           themes_file: Path | None = typer.Option(None, "--themes",
                                                   help="eigen woordenlijst (YAML), bovenop de standaardlijst"),
           postcodes: Path | None = typer.Option(None, "--postcodes", help=POSTCODES_HELP),
           file_area: list[str] = typer.Option([], "--file-area", help=FILE_AREA_HELP),
           out: Path = typer.Option(..., "--out", help="OUT.xlsx of OUT.html")) -> None:
    """Maak een bereikrapport (Excel of HTML) zonder persoonsgegevens.

    Met --kwb voor een wijk of gemeente (of --geo) ook het bereik per buurt; met open
    antwoorden of een vraag naar onderwerpen ook de thema's per groep."""
    _check_report_suffix(out)
    if geo is not None and kwb is None and cbs is None:
        raise UserInputError("--geo heeft buurtcijfers nodig: gebruik --kwb BESTAND of --cbs JAAR.")
    ref = _with_joint(_load_reference(kwb, cbs, custom, area, min_age), joint)
    respondents = _load_respondents(files, mapping)
    placement = {"postcodes": _postcode_table(postcodes), "file_areas": _file_areas(file_area, files)}
    extras = {**_report_areas(respondents, kwb, cbs, area, min_age, geo, joint, placement),
              "themes": _report_themes(respondents, ref, themes_file)}
    _write_full_report(out, respondents, ref, **extras)
    typer.echo(f"Rapport geschreven: {out}")


def _report_areas(respondents, kwb: Path | None, cbs: int | None, area: list[str], min_age: int,
                  geo: Path | None, joint: Path | None = None, placement: dict | None = None) -> dict:
    """Reach per buurt for the report (engagement.areas.compute_areas): always with --geo
    (then with the map), else when the chosen areas hold two or more buurten of the KWB
    file or the --cbs buurtcodes. Without --geo a problem only skips this part, with a note.
    With --joint each buurt's origin or tenure is split by age as in `areas --joint`;
    `placement`: --postcodes and --file-area, as `areas` places respondents."""
    from engagement.areas import apply_joint_bounded, cbs_buurten, compute_areas, load_buurten_bounded
    from reference.build import ReferenceDataError

    if kwb is None and cbs is None:
        return {}
    if geo is None and cbs is not None and sum(str(a).upper().startswith("BU") for a in area) < 2:
        return {}
    try:
        if kwb is not None:
            data = load_buurten_bounded(_read_bytes(kwb), kwb.name, area, min_age)
        else:
            assert cbs is not None  # one of the two, checked above
            data = cbs_buurten(cbs, area, min_age)
    except ReferenceDataError as error:
        if geo is not None:
            raise
        typer.echo(f"Let op: geen bereik per buurt in het rapport. {error}")
        return {}
    if geo is None and len(data.rows) < 2:
        return {}
    if joint is not None:
        data = apply_joint_bounded(data, _read_bytes(joint), joint.name)
    _check_file_area_codes((placement or {}).get("file_areas") or {}, data)
    result = compute_areas(respondents, data, **(placement or {}), home=_home(data))
    if geo is None:
        return {"areas": result}
    from reference.geo import read_buurt_geometry_bounded
    from reports.charts_areas import missing_on_map

    geometry = read_buurt_geometry_bounded(_read_bytes(geo), geo.name, [a.code for a in result.areas])
    absent = missing_on_map(result, geometry)
    if absent:
        typer.echo(f"Let op: niet op de kaart: {', '.join(absent[:5])}{' …' if len(absent) > 5 else ''}.")
    return {"areas": result, "areas_geometry": geometry}


def _report_themes(respondents, ref, themes_file: Path | None):
    """The themes check for the report (engagement.themes.run_themes, as `bereikwijzer
    themes`) on the respondents who count (from the minimum age), or None when the files
    have no open answers or topic questions."""
    from engagement.themes import counted_themes

    return counted_themes(respondents, ref.min_age, _load_theme_file(themes_file))


@app.command(cls=DutchCommand)
@_guarded
def plan(files: list[Path],
         kwb: Path | None = typer.Option(None, "--kwb"),
         cbs: int | None = typer.Option(None, "--cbs"),
         custom: Path | None = typer.Option(None, "--reference"),
         joint: Path | None = typer.Option(None, "--joint", help=JOINT_HELP),
         area: list[str] = typer.Option([], "--area"),
         min_age: int = typer.Option(18, "--min-age", min=0, max=100),
         mapping: Path | None = typer.Option(None, "--mapping"),
         goal: str = typer.Option("flag", "--goal",
                                  help="flag (geen groep meer te weinig), band (ook geen groep te "
                                       "veel), share (elke groep haar aandeel) of margin "
                                       "(foutmarge, met --margin)"),
         margin: float | None = typer.Option(None, "--margin", help="bijv. 0.05 voor 5%"),
         weeks: int | None = typer.Option(None, "--weeks", help="verdeel over zoveel weken"),
         json_out: Path | None = typer.Option(None, "--json")) -> None:
    """Veldwerkplan: hoeveel mensen van welke groep nog, en via welk kanaal."""
    from engagement.planner import describe_plan, plan_fieldwork, weekly_plan

    if margin is not None and goal == "flag":
        goal = "margin"
    ref = _with_joint(_load_reference(kwb, cbs, custom, area, min_age), joint)
    respondents = _load_respondents(files, mapping)
    result = plan_fieldwork(respondents, ref, goal=goal, margin=margin, weeks=weeks)
    weekly = weekly_plan(result, weeks) if weeks else None
    if json_out is not None:
        data = result.to_dict()
        if weekly is not None:
            data["weekly"] = weekly.to_dict(orient="records")
        _write_json(data, json_out)
    typer.echo(describe_plan(result, ref.min_age))
    if weekly is not None and not weekly.empty:
        for week, part in weekly.groupby("week"):
            items = ", ".join(f"{r.what} {r.number}" for r in part.itertuples() if r.number)
            typer.echo(f"Week {week}: {items}")


def _file_areas(items: list[str], files: list[Path]) -> dict[str, str]:
    """--file-area BESTAND=BUURTCODE, as {file name: buurt code}; the file must be one of
    the command's own files (a typo would otherwise place nobody, without a word)."""
    given = {Path(f).name for f in files}
    chosen = {}
    for item in items:
        name, sep, code = item.partition("=")
        if not sep or not name.strip() or not code.strip():
            raise UserInputError(f"--file-area '{item}' moet de vorm BESTAND=BUURTCODE hebben "
                                 "(bijv. enquete.xlsx=BU00140000).")
        file_name = Path(name.strip()).name
        if file_name not in given:
            raise UserInputError(f"--file-area '{item}': '{file_name}' is niet een van de bestanden van "
                                 f"deze opdracht ({', '.join(sorted(given))}). Controleer de naam.")
        chosen[file_name] = code.strip().upper()
    return chosen


def _check_file_area_codes(chosen: dict[str, str], data) -> None:
    """Every --file-area code must be a buurt of the chosen areas."""
    from reference.postcodes import normalise_buurtcode

    codes = {str(c).upper() for c in data.buurten["code"]}
    for file_name, code in chosen.items():
        if (normalise_buurtcode(code) or code) not in codes:
            some = ", ".join(sorted(codes)[:5]) + (" …" if len(codes) > 5 else "")
            raise UserInputError(f"--file-area {file_name}={code}: die buurtcode hoort niet bij de "
                                 f"gekozen gebieden. Kies een buurt uit --area, bijv. {some}.")


def _postcode_table(postcodes: Path | None):
    """The team's postcode–buurt table from --postcodes (read in a bounded child), or None."""
    if postcodes is None:
        return None
    from reference.postcodes import read_postcode_table_bounded

    return read_postcode_table_bounded(_read_bytes(postcodes), postcodes.name)


def _home(data) -> str | None:
    """The buurt when the chosen areas are one buurt: everyone not placed elsewhere was
    spoken there, as on the dashboard's Buurten page for a one-buurt project and as
    `coverage --area` counts them (engagement.areas.assign_buurten, step 5)."""
    codes = list(data.buurten["code"])
    return str(codes[0]) if len(codes) == 1 else None


@app.command(cls=DutchCommand)
@_guarded
def areas(files: list[Path],
          kwb: Path | None = typer.Option(None, "--kwb"),
          cbs: int | None = typer.Option(None, "--cbs"),
          area: list[str] = typer.Option([], "--area", help="buurt, wijk of gemeente (BU…, WK…, GM…)"),
          min_age: int = typer.Option(18, "--min-age", min=0, max=100),
          geo: Path | None = typer.Option(None, "--geo", help="CBS wijk- en buurtkaart (.gpkg of .geojson)"),
          joint: Path | None = typer.Option(None, "--joint", help=JOINT_HELP + "; per buurt toegepast"),
          json_out: Path | None = typer.Option(None, "--json"),
          mapping: Path | None = typer.Option(None, "--mapping"),
          postcodes: Path | None = typer.Option(None, "--postcodes", help=POSTCODES_HELP),
          file_area: list[str] = typer.Option([], "--file-area", help=FILE_AREA_HELP),
          map_out: Path | None = typer.Option(None, "--map", help="schrijf de kaart als OUT.html")) -> None:
    """Bereik per buurt: waar wonen de mensen die we missen? Kleine aantallen zijn verborgen.

    Bij één buurt telt wie geen buurtcode of bruikbare postcode gaf mee in die buurt (zoals op het dashboard)."""
    from engagement.areas import (
        apply_joint_bounded,
        cbs_buurten,
        compute_areas,
        describe_areas,
        load_buurten_bounded,
    )
    from reports.charts_areas import areas_json, protect_areas

    if (kwb is None) == (cbs is None):
        raise UserInputError("Kies precies één bron: --kwb BESTAND of --cbs JAAR.")
    if not area:
        raise UserInputError("Geef minstens één gebiedscode met --area (bijv. WK001400 of GM0014).")
    if map_out is not None and geo is None:
        raise UserInputError("--map heeft een buurtkaart nodig: geef ook --geo BESTAND.")
    if map_out is not None and map_out.suffix.lower() != ".html":
        raise UserInputError(f"De kaart moet eindigen op .html, niet '{map_out.suffix or map_out.name}'.")
    chosen = _file_areas(file_area, files)
    if kwb is not None:
        data = load_buurten_bounded(_read_bytes(kwb), kwb.name, area, min_age)
    else:
        assert cbs is not None  # exactly one source, checked above
        data = cbs_buurten(cbs, area, min_age)
    if joint is not None:
        data = apply_joint_bounded(data, _read_bytes(joint), joint.name)
    _check_file_area_codes(chosen, data)
    table = _postcode_table(postcodes)
    respondents = _load_respondents(files, mapping)
    result, _ = protect_areas(compute_areas(respondents, data, postcodes=table, file_areas=chosen,
                                            home=_home(data)))
    out = areas_json(result)
    if geo is not None:
        from reference.geo import read_buurt_geometry_bounded
        from reports.charts_areas import areas_map, missing_on_map

        geometry = read_buurt_geometry_bounded(_read_bytes(geo), geo.name, [a.code for a in result.areas])
        absent = missing_on_map(result, geometry)
        out["map"] = {"file": geo.name, "layer": geometry.layer, "missing": absent}
        if absent:
            typer.echo(f"Let op: niet op de kaart: {', '.join(absent[:5])}"
                       f"{' …' if len(absent) > 5 else ''}.")
        if map_out is not None:
            areas_map(result, geometry).write_html(map_out, include_plotlyjs=True, full_html=True)
            typer.echo(f"Kaart geschreven: {map_out}")
    if json_out is not None:
        _write_json(out, json_out)
    typer.echo(describe_areas(result))


MAX_THEMES_BYTES = 1_000_000   # a theme file is a few kB; a bigger file is not a theme file


def _load_theme_file(path: Path | None):
    """The standard dictionary, with the team's --themes file merged over it."""
    from engagement.themes import load_themes

    if path is None:
        return load_themes()
    data = _read_bytes(path)
    if len(data) > MAX_THEMES_BYTES:
        raise UserInputError(f"Het themabestand '{path.name}' is te groot voor een woordenlijst "
                             f"(meer dan {MAX_THEMES_BYTES // 1000} kB).")
    return load_themes(data, name=path.name)


def _describe_themes(matrix, suggestions, unmatched: int) -> str:
    """The protected matrix in a few Dutch lines: themes overall, findings, suggestions."""
    from reports.privacy import DEFAULT_K
    from surveys.numbers import dutch

    k = matrix.k if matrix.k is not None else DEFAULT_K  # set by protect_theme_matrix
    n = matrix.respondents
    lines = [f"Thema's in de antwoorden van {dutch(n) if n >= k else f'minder dan {k}'} deelnemers "
             "die iets vertelden:"]
    order = sorted(matrix.themes, key=lambda t: (t.suppressed != "", -(t.share or 0), t.label))
    for item in order:
        if item.respondents is None:
            lines.append(f"- {item.label}: <{k}" if item.suppressed == "primary" else f"- {item.label}: x")
        elif item.respondents:
            lines.append(f"- {item.label}: {dutch(item.respondents)} ({dutch(item.share * 100)}%)")
    findings = matrix.findings()
    if findings:
        lines.append("Wat valt op:")
        lines += [f"- {sentence}" for sentence in findings]
    lines.append(f"Open antwoorden zonder thema: {dutch(unmatched)}.")
    for item in suggestions:
        lines.append(f"Voorstel voor een nieuw thema: {item.label} ({', '.join(item.words)}).")
    return "\n".join(lines)


@app.command(cls=DutchCommand)
@_guarded
def themes(files: list[Path],
           themes_file: Path | None = typer.Option(None, "--themes",
                                                   help="eigen woordenlijst (YAML), bovenop de standaardlijst"),
           mapping: Path | None = typer.Option(None, "--mapping"),
           json_out: Path | None = typer.Option(None, "--json")) -> None:
    """Thema's per groep: wat noemt elke groep, en over welk thema hoorden we een groep nog niet?"""
    from engagement.themes import DIMENSIONS, run_themes
    from reports.privacy import DEFAULT_K
    from reports.themes import protect_quotes, protect_theme_matrix, themes_json

    dictionary = _load_theme_file(themes_file)
    respondents = _load_respondents(files, mapping)
    check = run_themes(respondents, dictionary, dimensions=(*DIMENSIONS, "area_code"))
    matrix = protect_theme_matrix(check.matrix, DEFAULT_K)
    if json_out is not None:
        data = themes_json(matrix)
        quotes = protect_quotes(check.quotes, matrix)
        data["quotes"] = {theme: [q.text for q in items] for theme, items in quotes.items()}
        # a topic from fewer than k answers: its words, not the answers themselves
        data["suggestions"] = [{**s.to_dict(), "examples": list(dict.fromkeys(s.examples)) if s.texts >= DEFAULT_K else []}
                               for s in check.suggestions]
        data["unmatched"] = check.unmatched
        _write_json(data, json_out)
    typer.echo(_describe_themes(matrix, check.suggestions, check.unmatched))


def _check_report_suffix(path: Path) -> None:
    if path.suffix.lower() not in (".xlsx", ".html"):
        raise UserInputError(f"Het rapport moet eindigen op .xlsx of .html, niet "
                             f"'{path.suffix or path.name}'.")


def _write_full_report(path: Path, respondents, ref, **extras):
    """Coverage, cells, progress, profiles and advice in one report, plus `extras` (areas,
    areas_geometry, themes: reports.report.write_report); returns the coverage."""
    from engagement.pipeline import analyse
    from reports.report import write_report

    result = analyse(respondents, ref)
    write_report(path, respondents=respondents, **result.report_arguments(), **extras)
    return result.coverage


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
