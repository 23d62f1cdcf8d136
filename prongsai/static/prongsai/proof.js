// Proof of work for anonymous forms (the ITA survey, the complaint channel): plain JavaScript and
// WebCrypto, no build step. The server made a signed ticket (prongsai/lib/tickets.py) and checks the
// answer with one hash: SHA-256 of "<ticket>:<n>" must start with `bits` zero bits
// (docs/decisions/0005-anonymous-survey-abuse.md). The browser finds n while the person reads or writes.
//
// Markup (every text is Thai in the template, so that it is translated there):
//
//   <form method="post"
//         data-proof-ticket="{{ ticket }}"          the signed ticket (also sent in a hidden input of its own)
//         data-proof-bits="16"                      the ticket's difficulty
//         data-proof-min-seconds="10"               optional: the ticket's minimum age; "send" waits for it
//         data-proof-working="กำลังเตรียม…"          optional: shown while solving
//         data-proof-no-crypto="เบราว์เซอร์นี้…"     optional: shown when WebCrypto is missing (plain http)
//         data-proof-done="">                       optional: shown once the form can be sent
//     <input type="hidden" name="ticket" value="{{ ticket }}">
//     <input type="hidden" name="proof" value="{{ proof }}">   filled in here; a value already there
//                                                              (a form shown again) is kept
//     <p data-proof-status aria-live="polite"></p>             optional
//     <button type="submit" data-proof-submit disabled>ส่ง</button>   enabled once solved and old enough
//   </form>
//
// When the form is ready it gets data-proof-ready="1" (tests wait for it). Without JavaScript the
// button stays disabled: say so in a <noscript> and offer another way (paper, a telephone line).
(function () {
  "use strict";

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

  async function solve(ticket, bits) {
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

  function prepare(form) {
    const ticket = form.dataset.proofTicket;
    const bits = Number(form.dataset.proofBits);
    const proof = form.querySelector('input[name="proof"]');
    const status = form.querySelector("[data-proof-status]");
    const buttons = form.querySelectorAll("[data-proof-submit]");
    const waitUntil = performance.now() + Number(form.dataset.proofMinSeconds || 0) * 1000;

    function say(text) {
      if (status) {
        status.textContent = text || "";
      }
    }

    function ready() {
      const left = waitUntil - performance.now();
      if (left > 0) {
        setTimeout(ready, left);
        return;
      }
      say(form.dataset.proofDone);
      buttons.forEach(function (button) {
        button.disabled = false;
      });
      form.dataset.proofReady = "1";
    }

    if (!proof || !ticket) {
      return;
    }
    if (proof.value) {
      ready(); // the form came back with an error: its ticket is unspent and already solved
    } else if (!(bits > 0)) {
      proof.value = "0";
      ready();
    } else if (!window.crypto || !crypto.subtle) {
      say(form.dataset.proofNoCrypto); // WebCrypto needs https (or 127.0.0.1)
    } else {
      say(form.dataset.proofWorking);
      solve(ticket, bits).then(function (answer) {
        proof.value = answer;
        ready();
      });
    }
  }

  document.querySelectorAll("form[data-proof-ticket]").forEach(prepare);
})();
