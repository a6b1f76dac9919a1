"""Adapter: ONNX Runtime, the one module of the project that imports ``onnxruntime``.

Every ONNX model the engines run (RapidOCR's detector and recogniser, the orientation classifier,
the metadata of the models PaddleOCR is given) gets its session here, so the thread settings and
the execution provider are decided once: CPU only, ``threads`` intra-op threads, one inter-op
thread (one engine per worker process; parallelism comes from processes).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ocr.errors import EngineUnavailableError

#: ONNX Runtime's own log severity: 3 = errors only (warnings about unused initialisers in the
#: bundled models are noise for an operator).
_LOG_SEVERITY_ERRORS = 3


def cpu_session(path: Path, *, threads: int, engine: str) -> Any:
    """An ``onnxruntime.InferenceSession`` over ``path`` on the CPU.

    ``engine`` names the engine the model belongs to in the error raised when the model cannot
    be loaded (a missing or corrupt file, an ONNX Runtime that is not installed).
    """
    try:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = _LOG_SEVERITY_ERRORS
        # the settings RapidOCR itself would choose for these models (full graph optimisation,
        # no CPU memory arena: it would keep the peak of the largest page for the process' life)
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.enable_cpu_mem_arena = False
        return ort.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
    except Exception as e:  # any failure here is an installation fault
        raise EngineUnavailableError(engine=engine, detail=f"{type(e).__name__}: {e}") from e


def model_metadata(session: Any) -> Mapping[str, str]:
    """The custom metadata map of a loaded session (labels, character lists)."""
    return dict(session.get_modelmeta().custom_metadata_map)
