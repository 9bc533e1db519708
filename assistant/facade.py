"""The one entry point every front end calls: ingest, list, remove, ask.

Front ends (CLI, Streamlit, Slack, eval) stay thin and never reach into the index, the file
side or answering themselves; they speak the types of `assistant.types`. Asking is a
LangChain runnable chain of typed stages: analyze -> retrieve -> answer -> verify.

Safe to share between threads (a chat page and a bot answer from several): the heavy parts
load once under a lock, writes to the index are serialized, and nothing here changes
process-wide state after start.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, Field

from assistant.answering.factory import make_answerer
from assistant.answering.finishing import finish_answer
from assistant.answering.protocol import (
    AgreementContext,
    AnswerContext,
    Answerer,
    PriorTurn,
    TextSink,
)
from assistant.answering.screening import screen_passages, screening_note
from assistant.conversations import ConversationStore
from assistant.errors import AgreementsError, UnknownAgreementError
from assistant.index.embeddings import Embedder
from assistant.index.ingestion import Ingestion
from assistant.index.locking import IndexLock, IndexUse, Written
from assistant.index.retrieval import HybridRetriever, LexicalIndexCache
from assistant.index.store import AgreementRecord, ChromaStore, make_client
from assistant.matrix import MatrixCache, MatrixProgress, build_matrix
from assistant.originals import Originals
from assistant.page_images import render_page
from assistant.questions.analysis import QuestionAnalysis, analyze_question
from assistant.questions.followup import resolve_follow_up
from assistant.questions.topics import TOPICS
from assistant.reviews import ReviewStore
from assistant.settings import Settings
from assistant.types import (
    AgreementInfo,
    Answer,
    Citation,
    Conversation,
    FileResult,
    FileStatus,
    IndexHealth,
    IngestListener,
    IngestSummary,
    Matrix,
    PageImage,
    RetrievedChunk,
    Review,
    Turn,
    Upload,
    Verdict,
)
from ingest.files import SourceFile, agreement_name, discover_files
from ingest.loaders import SUPPORTED_EXTENSIONS, load_document, normalize_text
from ingest.parties import PROVIDER_ROLE_WORDS
from ingest.reading import ReadAgreement, read_agreement

logger = logging.getLogger(__name__)


class Retrieval(BaseModel):
    """The second stage's output: the question and its passages, best first."""

    question: QuestionAnalysis
    passages: list[RetrievedChunk]
    note: str = Field(default="", description="What screening left out, for the answer.")


class Drafted(BaseModel):
    """The third stage's output: an answerer's answer, before the guard checks it."""

    retrieval: Retrieval
    answer: Answer


# A question's sentences embed about twice as fast in batches of 8 as of 32 on this 2-core
# machine (the same vectors to 1e-7): a batch is padded to its longest sentence.
_SENTENCE_BATCH = 8


class AgreementAssistant:
    """Answers responsibility questions over the agreements in one index."""

    def __init__(self, settings: Settings | None = None, answerer: Answerer | None = None) -> None:
        self.settings = settings or Settings()
        self._loading = threading.RLock()
        self._writing = threading.Lock()
        self._embedder: Embedder | None = None
        self._store: ChromaStore | None = None
        self._store_generation = ""
        self._lexical: LexicalIndexCache | None = None
        home = self.settings.home_dir
        # Writes are serialized across processes; an embedded index another process wrote
        # to since it was opened is reopened before the next operation (index/locking.py).
        self._index_lock = IndexLock(
            home / "index" if self.settings.store.host else self.settings.chroma_path,
            self.settings.store.write_wait_seconds,
        )
        self._index_use = IndexUse()
        self.conversations = ConversationStore(home / "conversations")
        self.originals = Originals(home / "files")
        self.reviews = ReviewStore(home / "reviews")
        self.matrix_cache = MatrixCache(home / "matrix")
        # The learned judge embeds sentences with the index's model, loaded on first use.
        self.answerer = answerer or make_answerer(
            self.settings.answering,
            encode=lambda texts: self.embedder.embed_documents(texts, batch_size=_SENTENCE_BATCH),
            llm=self.settings.llm,
        )

    # Heavy parts load on first use, so `agreements list` does not pay for the model; the
    # lock makes two threads asking first share one load.
    @property
    def embedder(self) -> Embedder:
        with self._loading:
            if self._embedder is None:
                self._embedder = Embedder(self.settings.embedding)
            return self._embedder

    @property
    def store(self) -> ChromaStore:
        with self._loading:
            if self._store is None:
                generation = self._index_lock.generation()  # read first: never newer than seen
                client = make_client(self.settings)
                self._store = ChromaStore(client, _model_identity(self.settings))
                self._store_generation = generation
            return self._store

    def _using_index(self) -> AbstractContextManager[None]:
        """Around every operation on the index: reopened first when another process wrote."""
        return self._index_use.using(self._index_is_stale, self._reopen_index)

    def _index_is_stale(self) -> bool:
        if self.settings.store.host or self._store is None:
            return False  # a server is shared live; an unopened index opens fresh
        return self._index_lock.generation() != self._store_generation

    def _reopen_index(self) -> None:
        with self._loading:
            store, self._store, self._lexical = self._store, None, None
        if store is not None:
            logger.info("the index changed in another process; reopening it")
            store.close()

    @property
    def lexical(self) -> LexicalIndexCache:
        with self._loading:
            if self._lexical is None:
                self._lexical = LexicalIndexCache(self.store)
            return self._lexical

    # --- the file side --------------------------------------------------------------------
    @staticmethod
    def files_to_ingest(paths: Sequence[Path]) -> list[Path]:
        """The files `ingest(paths)` will read, folders expanded (for sizing progress bars)."""
        return discover_files(paths)

    def ingest(
        self,
        sources: Sequence[Path | Upload],
        name: str | None = None,
        on_event: IngestListener | None = None,
    ) -> IngestSummary:
        """Read, embed and index files (folders expanded) and uploads, one result each.

        A file that fails is reported in its result and leaves nothing behind; the rest land.
        """
        files: list[SourceFile] = []
        for source in sources:
            if isinstance(source, Upload):
                files.append(SourceFile(Path(source.name), source.data))
            else:
                files.extend(SourceFile(path) for path in discover_files([source]))
        with self._writing, self._index_lock.writing() as written, self._using_index():
            dropped = self.store.drop_orphans()
            if dropped:
                logger.warning("dropped %d chunk(s) an interrupted write had left", dropped)
            ingestion = self._ingestion()
            summary = ingestion.run(files, name, on_event)
            for read, result in zip(files, summary.results, strict=True):
                self._keep_original(read, result)
        self._wrote(written)
        return summary

    def _ingestion(self) -> Ingestion:
        return Ingestion(self.store, self.embedder, self.settings.chunking, self.settings.ocr)

    def _wrote(self, written: Written) -> None:
        """Our own write leaves our open index current: no reopening for it."""
        with self._loading:
            if self._store is not None:
                self._store_generation = written.generation

    def _keep_original(self, source: SourceFile, result: FileResult) -> None:
        """Keep the file a landed agreement was read from (pages and reviews need it)."""
        if result.name is None or result.status is FileStatus.FAILED:
            return
        if result.status is FileStatus.UNCHANGED and self.originals.path(result.name):
            return
        self.matrix_cache.drop(result.name)
        try:
            self.originals.keep(result.name, source.path.suffix, source.data, source.path)
        except OSError as exc:
            # The agreement is in the index and answers; only its page images and reviews
            # need the copy, so a full disk here is a warning, not a failed file.
            logger.warning("%s: its file could not be kept (%s); page images and reviews "
                           "of it are unavailable until it is ingested again", result.name, exc)

    def ingest_bytes(
        self, name: str, data: bytes, on_event: IngestListener | None = None
    ) -> FileResult:
        """Index one upload: `name` is its file name (the extension says its format)."""
        return self.ingest([Upload(name, data)], on_event=on_event).results[0]

    def read_agreement(self, path: Path) -> ReadAgreement:
        """A file read into its agreement and chunks as ingestion would, without indexing it."""
        source = SourceFile(path)
        return read_agreement(
            source,
            agreement_name(path),
            source.sha256(),
            self.embedder.count_tokens,
            self.settings.chunking,
            self.settings.ocr,
        )

    def agreements(self) -> list[AgreementInfo]:
        with self._using_index():
            return [_info(r) for r in self.store.records()]

    def remove(self, name: str) -> None:
        with self._writing, self._index_lock.writing() as written, self._using_index():
            if not self.store.remove(name):
                raise UnknownAgreementError(name, [r.name for r in self.store.records()])
            self.originals.drop(name)
            self.matrix_cache.drop(name)
        self._wrote(written)

    # --- health -----------------------------------------------------------------------------
    def doctor(self, deep: bool = False, repair: bool = False) -> IndexHealth:
        """Check the index against its records (and with `deep` every vector's findability);
        with `repair`, drop what interrupted writes left and re-read damaged agreements from
        their kept files, or, when the index cannot be read at all, rebuild it from them."""
        with self._writing, self._index_lock.writing() as written:
            health = self._examine(deep)
            if repair and health.problems:
                health = self._repair(health, deep)
        self._wrote(written)
        return health

    def _examine(self, deep: bool) -> IndexHealth:
        try:
            with self._using_index():
                records = self.store.records()
                stored = self.store.stored_versions()
                current = {r.version: r for r in records}
                unfindable = None
                if deep:
                    by_version = self.store.unfindable(list(current))
                    unfindable = {current[v].name: n for v, n in by_version.items()}
        except Exception as exc:  # a damaged folder fails in Chroma's own ways
            logger.debug("the index could not be read", exc_info=True)
            return IndexHealth(unreadable=f"{type(exc).__name__}: {exc}")
        return IndexHealth(
            agreements=len(records),
            chunks_expected=sum(r.chunk_count for r in records),
            chunks_stored=sum(stored.values()),
            orphan_chunks=sum(n for v, n in stored.items() if v not in current),
            damaged=[r.name for r in records if stored.get(r.version, 0) != r.chunk_count],
            unfindable=unfindable,
            missing_originals=self._unkept([r.name for r in records]),
        )

    def _unkept(self, names: list[str]) -> list[str]:
        return [n for n in names if self.originals.path(n) is None]

    def _repair(self, health: IndexHealth, deep: bool) -> IndexHealth:
        done: list[str] = []
        if health.unreadable:
            done += self._rebuild()
        else:
            with self._using_index():
                dropped = self.store.drop_orphans()
                if dropped:
                    done.append(f"dropped {dropped} chunk(s) left by an interrupted write")
                for name in dict.fromkeys([*health.damaged, *(health.unfindable or {})]):
                    done.append(self._reread(name))
        after = self._examine(deep)
        return dataclasses.replace(after, repaired=done)

    def _reread(self, name: str) -> str:
        original = self.originals.path(name)
        if original is None:
            return f"{name}: its file is not kept here; ingest it again to mend it"
        self.store.remove(name)
        result = self._ingestion().run([SourceFile(original)], name).results[0]
        return f"{name}: read again from {original}" if result.error is None else result.error

    def _rebuild(self) -> list[str]:
        """Move the unreadable folder aside and index every kept file into a fresh one."""
        if self.settings.store.host:
            return ["a Chroma server's index cannot be rebuilt from here; see the server"]
        self._reopen_index()
        folder = self.settings.chroma_path
        aside = folder.with_name(f"{folder.name}.damaged-{datetime.now(UTC):%Y%m%d%H%M%S}")
        folder.rename(aside)
        kept = sorted(p for p in self.originals.folder.glob("*") if p.is_file()
                      and not p.name.startswith("."))  # fmt: skip
        done = [f"moved the unreadable index to {aside}"]
        with self._using_index():
            ingestion = self._ingestion()
            for original in kept:
                result = ingestion.run([SourceFile(original)], original.stem).results[0]
                done.append(result.error or f"{original.stem}: rebuilt from {original}")
        return done

    # --- text helpers for labelers and benchmarks (no index, no model) ---------------------
    @staticmethod
    def read_text(path: Path) -> str:
        """A file's text exactly as ingestion extracts it: labeled spans index into it."""
        return load_document(path).text

    @staticmethod
    def normalize_text(text: str) -> str:
        """The normalization ingestion applies to extracted text (for mapping raw spans)."""
        return normalize_text(text)

    @staticmethod
    def supported_extensions() -> list[str]:
        """File name endings ingestion reads, without the dot ("pdf", "docx", ...)."""
        return sorted(extension.lstrip(".") for extension in SUPPORTED_EXTENSIONS)

    @staticmethod
    def topics() -> dict[str, str]:
        """The responsibility topics questions are recognised under: id -> label."""
        return {t.id: t.label for t in TOPICS}

    # --- the question side ----------------------------------------------------------------
    def ask(
        self,
        question: str,
        agreements: Sequence[str] | None = None,
        *,
        history: Sequence[PriorTurn] = (),
        on_text: TextSink | None = None,
    ) -> Answer:
        """Answer `question` over `agreements` (default: all).

        `history` is the conversation so far, for an answerer backed by a model; `on_text`
        receives the answer text as a model drafts it (front ends stream it).
        """
        question = question.strip()
        if not question:
            raise AgreementsError("the question is empty")
        with self._using_index():
            records = self.store.records()  # read once per question: the registry may be large
            scope = self._scope(agreements, records)
            result: Answer = self._chain(scope, records, list(history), on_text).invoke(question)
        return result

    # --- conversations ----------------------------------------------------------------------
    def ask_in(
        self,
        conversation: Conversation,
        question: str,
        agreements: Sequence[str] | None = None,
        on_text: TextSink | None = None,
    ) -> Conversation:
        """Answer `question` as the next turn of `conversation`, and save it.

        A follow-up is completed from the last answered turn, and a model sees the earlier
        turns; a user's mistake (an unknown agreement, an empty index) becomes the turn's
        error instead of an exception.
        """
        question = question.strip()
        if not question:
            raise AgreementsError("the question is empty")
        last = conversation.last_answered()
        asked = resolve_follow_up(question, last.asked if last else None)
        scope = list(agreements or [])
        if not scope and last is not None and asked != question:
            # A follow-up with no scope of its own stays in the agreements it follows up on.
            scope = list(last.agreements)
        answer: Answer | None = None
        error: str | None = None
        try:
            answer = self.ask(asked, scope or None, history=_history(conversation), on_text=on_text)
        except AgreementsError as exc:
            error = str(exc)
        turn = Turn(
            question=question,
            asked=asked,
            agreements=scope,
            answer=answer,
            error=error,
            at=datetime.now(UTC),
        )
        return self.conversations.add_turn(conversation, turn)

    # --- the matrix, pages and reviews ------------------------------------------------------
    def matrix(
        self, agreements: Sequence[str] | None = None, on_progress: MatrixProgress | None = None
    ) -> Matrix:
        """Every topic for each agreement (default: all), cached until an agreement changes."""
        with self._using_index():
            known = {info.name: info for info in self.agreements()}
            names = self._scope(agreements, list(self.store.records()))
            return build_matrix(
                [known[n] for n in names if n in known],
                lambda question, scope: self.ask(question, scope),
                self.matrix_cache,
                on_progress,
            )

    def page_image(self, citation: Citation) -> PageImage | None:
        """The cited page of a PDF agreement with the quote highlighted; None when the
        agreement is not a PDF, has no kept file, or the citation has no page."""
        path = self.originals.path(citation.agreement)
        if citation.page is None or path is None or path.suffix.lower() != ".pdf":
            return None
        png, highlighted = render_page(path, citation.page, [citation.quote])
        return PageImage(citation.agreement, citation.page, png, highlighted)

    def review(self, review: Review) -> Path:
        """Save a review as a labeled question; returns its question set's path."""
        source = self.originals.path(review.agreement)
        if source is None:
            raise AgreementsError(
                f"{review.agreement}: its file is not kept here (ingested by an older version); "
                "ingest it again to review its answers"
            )
        with self._using_index():
            record = self.store.record(review.agreement)
        # The set names the provider as the agreement does ("Acme Cloud"), not as "we".
        names = [
            alias
            for alias in (record.parties.provider if record else [])
            if alias[:1].isupper() and alias not in PROVIDER_ROLE_WORDS and alias.lower() != "we"
        ]
        return self.reviews.add(review, source, names[0] if names else None)

    def chain(self, agreements: Sequence[str] | None = None) -> Runnable[str, Answer]:
        """The answering pipeline as a LangChain runnable over these agreements (default:
        all), to compose with other LangChain parts or trace stage by stage."""
        with self._using_index():
            records = self.store.records()
            return self._chain(self._scope(agreements, records), records)

    def _chain(
        self,
        scope: list[str],
        records: list[AgreementRecord],
        history: list[PriorTurn] | None = None,
        on_text: TextSink | None = None,
    ) -> Runnable[str, Answer]:
        in_scope = {r.name: r for r in records if r.name in scope}
        retriever = HybridRetriever(
            store=self.store,
            embedder=self.embedder,
            lexical=self.lexical,
            agreements=scope,
            versions=[r.version for r in in_scope.values()],
            whole_index=len(in_scope) == len(records),
            k=self.settings.retrieval.k,
            candidates=self.settings.retrieval.candidates,
            rrf_k=self.settings.retrieval.rrf_k,
        )
        context = AnswerContext(
            agreements=[_context(in_scope[name]) for name in scope if name in in_scope],
            history=history or [],
        )
        titles = {a.name: a.title for a in context.agreements if a.title}
        answerer = self.answerer

        def retrieve(question: QuestionAnalysis) -> Retrieval:
            if not question.understood:
                return Retrieval(question=question, passages=[])
            passages = retriever.retrieve(question.question, question.lexical_query)
            return Retrieval(question=question, passages=passages)

        def screen(retrieval: Retrieval) -> Retrieval:
            # Text addressed to a model or a reader is blanked before anyone reads it.
            screened = screen_passages(retrieval.passages)
            note = screening_note(screened.removed, titles)
            return Retrieval(question=retrieval.question, passages=screened.passages, note=note)

        def answer(retrieval: Retrieval) -> Drafted:
            if not retrieval.question.understood:
                # Silence would be a claim about the agreements; this is none.
                unread = not_understood(retrieval.question, context.names)
                return Drafted(retrieval=retrieval, answer=unread)
            drafted = answerer.answer(retrieval.question, retrieval.passages, context, on_text)
            if "answerer" not in drafted.model_fields_set:  # a model's answer names itself
                drafted = drafted.model_copy(update={"answerer": answerer.name})
            return Drafted(retrieval=retrieval, answer=drafted)

        def verify(drafted: Drafted) -> Answer:
            finished = finish_answer(drafted.answer, drafted.retrieval.passages, context)
            if drafted.retrieval.note:
                finished = finished.model_copy(
                    update={"answer": finished.answer + drafted.retrieval.note}
                )
            return finished

        return (
            RunnableLambda(analyze_question).with_config(run_name="analyze")
            | RunnableLambda(retrieve).with_config(run_name="retrieve")
            | RunnableLambda(screen).with_config(run_name="screen")
            | RunnableLambda(answer).with_config(run_name="answer")
            | RunnableLambda(verify).with_config(run_name="verify")
        )

    def _scope(self, agreements: Sequence[str] | None, records: list[AgreementRecord]) -> list[str]:
        known = [r.name for r in records]
        if not known:
            raise AgreementsError("no agreements are ingested yet; run `agreements ingest PATH`")
        if not agreements:
            return known
        resolved = [_resolve_name(name, known) for name in agreements]
        return list(dict.fromkeys(resolved))


def not_understood(question: QuestionAnalysis, agreements: list[str]) -> Answer:
    return Answer(
        question=question.question,
        verdict=Verdict.NOT_ADDRESSED,
        answer=NOT_UNDERSTOOD,
        confidence=0.0,
        agreements=agreements,
        understood=False,
        answerer="none",
    )


NOT_UNDERSTOOD = (
    "I did not understand the question, so this says nothing about the agreements. I read "
    "questions in English about who holds a duty, for example \u201cWho handles backups?\u201d "
    "or \u201cMust the provider notify us of a breach?\u201d"
)


def _history(conversation: Conversation) -> list[PriorTurn]:
    """The answered turns of `conversation`, as a model sees them."""
    return [
        PriorTurn(question=t.asked, answer=t.answer.answer)
        for t in conversation.turns
        if t.answer is not None
    ]


def _model_identity(settings: Settings) -> str:
    # Named by configuration, not by loading the model: listing must stay cheap.
    return settings.embedding.model


def _resolve_name(name: str, known: list[str]) -> str:
    """Accept the name, or the file name it came from ("ovhcloud_dpa.md")."""
    if name in known:
        return name
    stem = Path(name).stem
    if stem in known:
        return stem
    raise UnknownAgreementError(name, known)


def _context(record: AgreementRecord) -> AgreementContext:
    return AgreementContext(
        name=record.name,
        title=record.title,
        parties=record.parties,
        has_pages=record.has_pages,
        page_starts=record.page_starts,
        ocr_pages=record.ocr_pages,
    )


def _info(record: AgreementRecord) -> AgreementInfo:
    return AgreementInfo(
        name=record.name,
        title=record.title,
        format=record.format,
        source=record.source_path,
        pages=len(record.page_starts) if record.has_pages else None,
        ocr_pages=record.ocr_pages,
        chunks=record.chunk_count,
        customer=record.parties.customer,
        provider=record.parties.provider,
        ingested_at=record.ingested_at,
        version=record.version,
    )
