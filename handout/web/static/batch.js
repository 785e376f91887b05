// The batch page: upload, see each row's check, run with a progress bar, download the zip.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let batch = null;

  $("roster").addEventListener("change", async () => {
    const file = $("roster").files[0];
    if (!file) return;
    batch = null;
    $("run").disabled = $("zip").disabled = true;
    $("progress").value = 0;
    $("progress-text").textContent = "";
    $("check-summary").textContent = "Checking every row…";
    const response = await Handout.post("/api/batch/check", await file.arrayBuffer(), "application/octet-stream",
                                        {"X-File-Name": encodeURIComponent(file.name)});
    if (!response.ok) {
      Handout.showErrors(await Handout.errorsOf(response));
      $("check-summary").textContent = "The roster could not be read.";
      $("rows").hidden = true;
      return;
    }
    Handout.showErrors({});
    batch = await response.json();
    const body = $("rows").querySelector("tbody");
    body.replaceChildren();
    for (const row of batch.rows) {
      const tr = document.createElement("tr");
      for (const [text, cls] of [[String(row.row), ""], [row.patient || "", ""], [row.message, row.ok ? "ok" : "bad"]]) {
        const td = document.createElement("td");
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    $("rows").hidden = false;
    $("check-summary").textContent = `${batch.name}: ${batch.good} row${batch.good === 1 ? "" : "s"} ready, ` +
      `${batch.bad} with problems (they are listed, and left out).`;
    $("run").disabled = batch.good === 0;
    $("progress").max = batch.total;
  });

  async function poll() {
    const response = await fetch(`/api/batch/${batch.id}`, {cache: "no-store"});
    if (!response.ok) {
      Handout.showErrors(await Handout.errorsOf(response));
      return;
    }
    const p = await response.json();
    $("progress").max = p.total;
    $("progress").value = p.done;
    $("progress-text").textContent = p.status === "done" ? p.summary :
      `${p.done} of ${p.total} rows done, ${p.failed} failed`;
    if (p.status === "done") {
      $("zip").disabled = false;
      $("zip").focus();
    } else {
      setTimeout(poll, 300);
    }
  }

  $("run").addEventListener("click", async () => {
    if (!batch) return;
    $("run").disabled = true;
    const response = await Handout.post(`/api/batch/${batch.id}/run`, {});
    if (!response.ok) {
      Handout.showErrors(await Handout.errorsOf(response));
      return;
    }
    poll();
  });

  $("zip").addEventListener("click", async () => {
    const response = await fetch(`/api/batch/${batch.id}/zip`, {cache: "no-store"});
    if (!response.ok) {
      Handout.showErrors(await Handout.errorsOf(response));
      return;
    }
    await Handout.saveResponse(response, "pdfs.zip");
  });
})();
