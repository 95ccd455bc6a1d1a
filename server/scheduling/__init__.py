"""What runs when: debouncing, versions, and the order of work on the analysis worker.

* :mod:`.scheduler` -- :class:`~.scheduler.Scheduler`, between the editor's side
  (:class:`~.backend.Editor`) and where analyses run (:class:`~.backend.AnalysisBackend`);
* :mod:`.backend` -- those two protocols;
* :mod:`.versions` -- positions carried between two versions of a document.

Nothing here imports pygls or lsprotocol: the scheduler is tested with a
backend and an editor made for the test.
"""
