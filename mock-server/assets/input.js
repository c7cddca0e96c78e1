// The mock's stand-in for the GameLift Streams Web SDK's input module: the script a
// SignalResponse's `webSdkProtocolUrl` names. The SDK loads it, constructs
// `window.GameCastInputModule.GameCastInput` with its options object and calls the methods
// below; this one turns input into small JSON messages for the mock's WebRTC peer.
//
// Wire format: one UTF-8 JSON object per message on `inputChannel` (unordered, no
// retransmits, so each message stands alone). Every message has `kind` and `seq` (1, 2, …
// per module instance, so the receiver can count losses):
//   {"kind":"keyboard","seq":1,"event":"keydown"|"keyup","code":"KeyA","key":"a",
//    "repeat":false,"modifiers":["Shift","Control","Alt","Meta"]}
//   {"kind":"mouse","seq":2,"event":"mousemove"|"mousedown"|"mouseup","x":0.5,"y":0.25,
//    "dx":3,"dy":-1,"button":0,"buttons":1}
//       x and y are the position within the video element, 0 to 1; dx and dy the movement
//       in CSS pixels.
//   {"kind":"wheel","seq":3,"dx":0,"dy":120}                      (dx, dy in pixels)
//   {"kind":"gamepad","seq":4,"event":"state","index":0,"id":"…","buttons":[0,1,0.5],
//    "axes":[0,-1]}
//   {"kind":"gamepad","seq":5,"event":"disconnected","index":0}
// Nothing is queued: an input while `inputChannel` is not open is dropped (and counted).
// Application messages go as given (string, ArrayBuffer or typed array) on
// `clientMessageChannel`; what arrives there goes to `onApplicationMessageReceived`, and what
// arrives on `inputChannel` to `debugLog`.
"use strict";

(() => {
  const OPEN = "open";

  /** Whether a key event belongs to a form field of the page rather than to the game. */
  function typedIntoField(e) {
    const target = e.target;
    return (
      target instanceof Element &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
    );
  }

  function modifiers(e) {
    const held = [];
    if (e.shiftKey) held.push("Shift");
    if (e.ctrlKey) held.push("Control");
    if (e.altKey) held.push("Alt");
    if (e.metaKey) held.push("Meta");
    return held;
  }

  /** A gamepad's state as sent, and as compared to see whether it changed. */
  function padState(pad) {
    return {
      index: pad.index,
      id: pad.id,
      buttons: Array.from(pad.buttons, (b) => b.value),
      axes: Array.from(pad.axes),
    };
  }

  class GameCastInput {
    /**
     * @param options the Web SDK's options object: `clientRtc.rtcDataChannel` is the
     *   inputChannel, `clientRtc.rtcClientMessageChannel` the clientMessageChannel,
     *   `videoElement` receives the mouse listeners, `inputConfiguration.autoKeyboard`,
     *   `.autoMouse` and `.autoGamepad` (default true) choose what `attach()` listens to.
     */
    constructor(options) {
      const opts = options || {};
      const rtc = opts.clientRtc || {};
      this.inputChannel = rtc.rtcDataChannel || null;
      this.messageChannel = rtc.rtcClientMessageChannel || null;
      this.videoElement = opts.videoElement || null;
      this.config = opts.inputConfiguration || {};
      this.debugLog = typeof opts.debugLog === "function" ? opts.debugLog : () => {};
      this.onApplicationMessageReceived =
        typeof opts.onApplicationMessageReceived === "function"
          ? opts.onApplicationMessageReceived
          : () => {};
      this.sent = 0;
      this.dropped = 0;
      this.seq = 0;
      this.attached = false;
      this.pads = new Map(); // index → last state sent, as JSON
      this.listeners = [];

      if (this.inputChannel) {
        this.inputChannel.binaryType = "arraybuffer";
        this.inputChannel.addEventListener("message", (e) =>
          this.debugLog(`inputChannel received: ${describe(e.data)}`),
        );
      }
      if (this.messageChannel) {
        this.messageChannel.binaryType = "arraybuffer";
        this.messageChannel.addEventListener("message", (e) =>
          this.onApplicationMessageReceived(e.data),
        );
      }
    }

    /** Starts listening: keyboard on the document, mouse on the video element, gamepads. */
    attach() {
      if (this.attached) return;
      this.attached = true;
      const wants = (name) => this.config[name] !== false;
      if (wants("autoKeyboard")) {
        const onKey = (e) => {
          if (!typedIntoField(e)) this.processKeyboardEvent(e);
        };
        this.listen(document, "keydown", onKey);
        this.listen(document, "keyup", onKey);
      }
      if (wants("autoMouse") && this.videoElement) {
        const onMouse = (e) => this.processMouseEvent(e);
        for (const type of ["mousemove", "mousedown", "mouseup"]) {
          this.listen(this.videoElement, type, onMouse);
        }
        // Passive false: the wheel turns into input instead of scrolling the page.
        this.listen(this.videoElement, "wheel", onMouse, { passive: false });
        this.listen(this.videoElement, "contextmenu", (e) => e.preventDefault());
      }
      if (wants("autoGamepad")) {
        const onPad = (e) => this.processGamepadEvent(e);
        this.listen(window, "gamepadconnected", onPad);
        this.listen(window, "gamepaddisconnected", onPad);
      }
    }

    /** Removes every listener `attach()` added. */
    detach() {
      for (const [target, type, fn, opts] of this.listeners) {
        target.removeEventListener(type, fn, opts);
      }
      this.listeners = [];
      this.attached = false;
    }

    /** Sends a keydown or keyup event; other events are ignored. */
    processKeyboardEvent(e) {
      if (e.type !== "keydown" && e.type !== "keyup") return false;
      return this.send({
        kind: "keyboard",
        event: e.type,
        code: e.code,
        key: e.key,
        repeat: Boolean(e.repeat),
        modifiers: modifiers(e),
      });
    }

    /** Sends a mouse move, button or wheel event; other events are ignored. */
    processMouseEvent(e) {
      if (e.type === "wheel") {
        e.preventDefault();
        return this.send({ kind: "wheel", dx: e.deltaX, dy: e.deltaY });
      }
      if (!["mousemove", "mousedown", "mouseup"].includes(e.type)) return false;
      let x = 0;
      let y = 0;
      if (this.videoElement) {
        const box = this.videoElement.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) {
          x = clamp01((e.clientX - box.left) / box.width);
          y = clamp01((e.clientY - box.top) / box.height);
        }
      }
      return this.send({
        kind: "mouse",
        event: e.type,
        x,
        y,
        dx: e.movementX || 0,
        dy: e.movementY || 0,
        button: e.button,
        buttons: e.buttons,
      });
    }

    /**
     * A `gamepadconnected` or `gamepaddisconnected` event, or a `Gamepad` itself: tracks
     * (or forgets) the pad and sends its state when it changed.
     */
    processGamepadEvent(e) {
      const pad = e && e.gamepad ? e.gamepad : e;
      if (!pad || typeof pad.index !== "number") return false;
      if (e.type === "gamepaddisconnected") {
        this.pads.delete(pad.index);
        return this.send({ kind: "gamepad", event: "disconnected", index: pad.index });
      }
      const state = padState(pad);
      const key = JSON.stringify(state);
      if (this.pads.get(pad.index) === key) return false;
      this.pads.set(pad.index, key);
      return this.send({ kind: "gamepad", event: "state", ...state });
    }

    /** Reads every tracked gamepad and sends those whose state changed; call it per frame. */
    pollTrackedGamepads() {
      if (this.pads.size === 0 || !navigator.getGamepads) return;
      for (const pad of navigator.getGamepads()) {
        if (pad && this.pads.has(pad.index)) this.processGamepadEvent(pad);
      }
    }

    /** Sends `data` as is on clientMessageChannel; false (and dropped) when it is not open. */
    sendApplicationMessage(data) {
      const channel = this.messageChannel;
      if (!channel || channel.readyState !== OPEN) {
        this.debugLog("application message dropped: clientMessageChannel is not open");
        return false;
      }
      channel.send(data);
      return true;
    }

    send(message) {
      const channel = this.inputChannel;
      if (!channel || channel.readyState !== OPEN) {
        this.dropped += 1;
        return false;
      }
      this.seq += 1;
      channel.send(JSON.stringify({ kind: message.kind, seq: this.seq, ...message }));
      this.sent += 1;
      return true;
    }

    listen(target, type, fn, opts) {
      target.addEventListener(type, fn, opts);
      this.listeners.push([target, type, fn, opts]);
    }
  }

  function clamp01(v) {
    return Math.min(1, Math.max(0, v));
  }

  function describe(data) {
    return typeof data === "string" ? data : `${data.byteLength} bytes`;
  }

  window.GameCastInputModule = { GameCastInput };
})();
