"""What an editor shows of a result: hovers, the graph preview, where diagnostics go.

* :mod:`.anchors`      the token a user points at for each piece of syntax;
* :mod:`.hover`        hover content: the IR nodes on a token, a variable's type;
* :mod:`.graph_preview` the graph of the function under the cursor, or why there is none;
* :mod:`.call_sites`   an error in another file, brought to the call that leads there;
* :mod:`.presentation` which diagnostics a front door shows, and where.

Nothing here knows LSP: the server converts these answers (positions in
code points, markdown) for its client.
"""
