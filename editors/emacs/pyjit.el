;;; pyjit.el --- pyjit (TorchScript) language server for Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools
;; URL: https://github.com/pyjit/pyjit

;;; Commentary:

;; What `torch.jit.script' would say about your code, as you type: pyjit's
;; diagnostics, IR hovers and quick fixes through Eglot, and
;; `pyjit-show-graph' for the TorchScript graph of the function at point.
;;
;;   (add-to-list 'load-path "/path/to/pyjit/editors/emacs")
;;   (require 'pyjit)
;;   (add-hook 'python-mode-hook #'eglot-ensure)      ; and/or python-ts-mode-hook
;;
;; The server is `pyjit-lsp' from $PATH (`pip install pyjit-torchscript');
;; set `pyjit-server-command' for another.  Eglot runs one server per major
;; mode and project: with this registration, pyjit is the one for Python
;; buffers (in place of pylsp or pyright).  Settings (docs/settings.md) go in
;; `eglot-workspace-configuration', under `:pyjit'; `[tool.pyjit]' in
;; pyproject.toml wins over them.

;;; Code:

(require 'eglot)
(require 'jsonrpc)

(defgroup pyjit nil
  "TorchScript diagnostics, hovers and graphs from the pyjit language server."
  :group 'tools
  :prefix "pyjit-")

(defcustom pyjit-server-command '("pyjit-lsp")
  "The command starting the pyjit language server.
For example \\='(\"/path/to/venv/bin/python\" \"-m\" \"pyjit_server\")."
  :type '(repeat string))

(defconst pyjit-major-modes '(python-mode python-ts-mode)
  "The major modes whose buffers pyjit serves.")

(defun pyjit--contact (&optional _interactive)
  "The server command, read when Eglot starts it (so changes apply at the next start)."
  pyjit-server-command)

(add-to-list 'eglot-server-programs (cons pyjit-major-modes #'pyjit--contact))

(defun pyjit-show-graph ()
  "Show the TorchScript graph of the function at point in another window.
For a function that does not compile, the server answers why, as comments."
  (interactive)
  (let* ((server (eglot--current-server-or-lose))
         (graph (jsonrpc-request server :workspace/executeCommand
                                 `(:command "pyjit.showGraph"
                                   :arguments [,(plist-get (eglot--TextDocumentIdentifier) :uri)
                                               ,(eglot--pos-to-lsp-position)]))))
    (if (not (stringp graph))
        (message "pyjit: no compiled TorchScript function here")
      (let ((buffer (get-buffer-create "*pyjit graph*")))
        (with-current-buffer buffer
          (let ((inhibit-read-only t))
            (erase-buffer)
            (insert graph))
          (goto-char (point-min))
          (special-mode))
        (display-buffer buffer)
        buffer))))

(provide 'pyjit)
;;; pyjit.el ends here
