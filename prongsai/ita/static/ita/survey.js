// The public survey form: find the proof of work its ticket asks for, then let the answers be sent.
// The server checks it with one hash (prongsai/ita/actions.py, proof_is_good; see
// docs/decisions/0005-anonymous-survey-abuse.md): SHA-256 of "<ticket>:<n>" must start with
// `data-proof-bits` zero bits. Plain JavaScript and WebCrypto, no build step.
(function () {
  "use strict";

  const form = document.querySelector("form.survey-form");
  if (!form) {
    return;
  }
  const button = form.querySelector("button[type=submit]");
  const status = form.querySelector(".proof-status");
  const ticket = form.elements.namedItem("ticket").value;
  const proof = form.elements.namedItem("proof");
  const bits = Number(form.dataset.proofBits);
  const waitUntil = performance.now() + Number(form.dataset.minSeconds) * 1000;
  const BATCH = 512; // digests in flight at once: WebCrypto is asynchronous, one at a time is slow

  function leadingZeroBits(bytes) {
    let count = 0;
    for (const byte of bytes) {
      if (byte === 0) {
        count += 8;
        continue;
      }
      return count + Math.clz32(byte) - 24;
    }
    return count;
  }

  async function solve() {
    const encoder = new TextEncoder();
    for (let start = 0; ; start += BATCH) {
      const digests = [];
      for (let n = start; n < start + BATCH; n++) {
        digests.push(crypto.subtle.digest("SHA-256", encoder.encode(ticket + ":" + n)));
      }
      const results = await Promise.all(digests);
      for (let i = 0; i < results.length; i++) {
        if (leadingZeroBits(new Uint8Array(results[i])) >= bits) {
          return String(start + i);
        }
      }
    }
  }

  function ready() {
    const left = waitUntil - performance.now();
    if (left > 0) {
      setTimeout(ready, left);
      return;
    }
    status.textContent = "";
    button.disabled = false;
    form.dataset.ready = "1";
  }

  if (proof.value) {
    ready(); // the form came back with an error: its ticket is unspent and already solved
  } else if (bits <= 0) {
    proof.value = "0";
    ready();
  } else if (!window.crypto || !crypto.subtle) {
    status.textContent = form.dataset.noCrypto; // WebCrypto needs https (or 127.0.0.1)
  } else {
    status.textContent = form.dataset.working;
    solve().then(function (answer) {
      proof.value = answer;
      ready();
    });
  }
})();
