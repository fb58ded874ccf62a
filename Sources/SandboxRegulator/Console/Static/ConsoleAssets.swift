import Hummingbird

/// The console's stylesheet and script, served as files (`/console/static/…`) so the CSP can
/// forbid inline code. Kept in the source rather than as a resource bundle: the regulator stays
/// one binary that `scripts/install` copies alone, and no bureau network has to reach a CDN.
enum ConsoleAssets {
    static func response(_ text: String, type: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: .init(byteBuffer: buffer))
    }

    /// The script does no more than make forms kinder: a form marked `data-confirm` asks before
    /// it is sent, and a checkbox marked `data-select-all="NAME"` ticks or clears its form's
    /// boxes named NAME (a queue's rows for a bulk action). An element marked `data-poll="URL"`
    /// (a draw being prepared) has its `data-field` parts filled from that JSON each second and
    /// reloads the page when the state has moved on. Every page works without it.
    static let script = """
        "use strict";
        document.addEventListener("submit", function (event) {
          var form = event.target;
          var question = form.getAttribute("data-confirm");
          if (question && !window.confirm(question)) { event.preventDefault(); }
        });
        document.addEventListener("change", function (event) {
          var box = event.target;
          var name = box.getAttribute && box.getAttribute("data-select-all");
          if (!name || !box.form) { return; }
          var boxes = box.form.querySelectorAll("input[type=checkbox][name='" + name + "']");
          for (var i = 0; i < boxes.length; i++) { boxes[i].checked = box.checked; }
        });
        document.addEventListener("DOMContentLoaded", function () {
          var region = document.querySelector("[data-poll]");
          if (!region) { return; }
          var url = region.getAttribute("data-poll");
          function poll() {
            fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
              if (!answer.ok) { window.location.reload(); return null; }
              return answer.json();
            }).then(function (state) {
              if (!state) { return; }
              if (state.state !== "preparing") { window.location.reload(); return; }
              var parts = region.querySelectorAll("[data-field]");
              for (var i = 0; i < parts.length; i++) {
                var value = state[parts[i].getAttribute("data-field")];
                if (value !== undefined) { parts[i].textContent = String(value); }
              }
              window.setTimeout(poll, 1000);
            }).catch(function () { window.setTimeout(poll, 3000); });
          }
          window.setTimeout(poll, 1000);
        });
        """

    static let stylesheet = """
        body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1b1b1b; background: #f6f7f9; }
        header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1rem; background: #8b0000; color: #fff; }
        header a, header .who { color: #fff; }
        header .app { font-weight: bold; }
        header .tools { margin-left: auto; display: flex; gap: .8rem; align-items: center; }
        main { padding: 1rem 1.5rem; max-width: 80rem; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { border: 1px solid #d0d4da; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: #eef0f3; }
        form.inline { display: inline; }
        label { display: block; margin: .6rem 0 .2rem; }
        input[type=text], input[type=password], input[type=search] { padding: .35rem; min-width: 18rem; }
        button { padding: .35rem .9rem; margin-top: .6rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .error { color: #8b0000; font-weight: bold; }
        .member { color: #0a6b2d; font-weight: bold; } .not-member { color: #8b0000; font-weight: bold; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; padding: .6rem; }
        dl.facts dt { font-weight: bold; }
        a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid #1a5fb4; outline-offset: 1px; }
        label.inline { display: inline; margin: 0; }
        fieldset { border: 1px solid #d0d4da; background: #fff; margin: .6rem 0; } fieldset .option { margin: .25rem 0; }
        .why { color: #555; font-size: .9em; }
        textarea { width: 100%; max-width: 48rem; padding: .35rem; } select { padding: .3rem; }
        form.step { background: #fff; border: 1px solid #d0d4da; padding: .4rem 1rem .8rem; margin: 1rem 0; max-width: 52rem; }
        td form.step { border: 0; padding: 0; margin: 0; } td form.step h3 { font-size: .9rem; margin: .2rem 0; } td input[type=text] { min-width: 8rem; }
        """
}
