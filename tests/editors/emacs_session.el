;;; emacs_session.el --- drives Emacs + Eglot with the shipped editors/emacs/pyjit.el  -*- lexical-binding: t; -*-

;; Run: emacs --batch -Q -l emacs_session.el, with PYJIT_EMACS_CONFIG (the folder
;; holding pyjit.el), PYJIT_TEST_FILE, PYJIT_TEST_OUT and PYJIT_TEST_DEADLINE_S set.
;; Opens the file the user's way (python-mode, the server from the registration),
;; waits for flymake's diagnostics, hovers, applies the quick fix through
;; `eglot-code-actions' (the user's command, its menu answered), shows the graph.
;; Writes what it saw as JSON to PYJIT_TEST_OUT.

(require 'json)
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))
(add-to-list 'load-path (getenv "PYJIT_EMACS_CONFIG"))
(require 'pyjit)

(defvar pyjit-test-out nil "What was seen, an alist.")
(defvar pyjit-test-deadline (string-to-number (getenv "PYJIT_TEST_DEADLINE_S")))

(defun pyjit-test-wait (what predicate)
  "Let Emacs run until PREDICATE holds; signal (naming WHAT) past the deadline."
  (let ((until (+ (float-time) pyjit-test-deadline)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) until))
      (accept-process-output nil 0.05))
    (or value (error "Timed out waiting for %s" what))))

(defun pyjit-test-see (key value)
  (push (cons key value) pyjit-test-out))

(defun pyjit-test-goto (line column)
  "Go to 1-based LINE and 0-based COLUMN."
  (goto-char (point-min))
  (forward-line (1- line))
  (move-to-column column))

(condition-case err
    (progn
      (find-file (getenv "PYJIT_TEST_FILE"))
      (python-mode)
      ;; What `eglot-ensure' does once the command loop runs (it never does in batch).
      (apply #'eglot (eglot--guess-contact))
      (let ((server (pyjit-test-wait "the server" (lambda () (eglot-current-server)))))
        (pyjit-test-see 'server (plist-get (eglot--server-info server) :name))
        (pyjit-test-wait "diagnostics" (lambda () (flymake-diagnostics)))
        (pyjit-test-see 'diagnostics
                        (vconcat (mapcar (lambda (d)
                                           (list (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                                                 (cons 'type (symbol-name (flymake-diagnostic-type d)))
                                                 (cons 'text (flymake-diagnostic-text d))))
                                         (flymake-diagnostics))))
        ;; Hover on the `+' of `y = x + n' (line 6).
        (pyjit-test-goto 6 10)
        (let ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
          (pyjit-test-see 'hover (plist-get (plist-get hover :contents) :value)))
        ;; The quick fix on line 12, through the user's command.
        (pyjit-test-goto 12 14)
        (let ((offered nil))
          (cl-letf (((symbol-function 'completing-read)
                     (lambda (_prompt collection &rest _)
                       (setq offered (mapcar #'car collection))
                       (seq-find (lambda (title) (string-prefix-p "Ignore PJ210" title)) offered))))
            (let ((last-nonmenu-event ?\r))   ; a keyboard event: the menu is completing-read
              (eglot-code-actions (line-beginning-position) (line-end-position) nil t)))
          (pyjit-test-see 'offered (vconcat offered)))
        (pyjit-test-see 'fixed_line (buffer-substring-no-properties (line-beginning-position)
                                                                     (line-end-position)))
        ;; The graph of f.
        (pyjit-test-goto 6 4)
        (let ((buffer (pyjit-show-graph)))
          (pyjit-test-see 'graph (and buffer (with-current-buffer buffer (buffer-string)))))
        (eglot-shutdown server)))
  (error (pyjit-test-see 'error (error-message-string err))))

(with-temp-file (getenv "PYJIT_TEST_OUT")
  (insert (json-encode pyjit-test-out)))
(kill-emacs 0)
