// Whether the pointer is pressed on a node right now. React Flow selects a node that a drag starts on (on the first
// move past its threshold), a change that comes before the node is marked as dragged: the property panel (see
// selectedNodeMemo) waits for the release to show a selection made while the pointer is held on a node, so its
// form (~30-50 ms to build) is not built in the drag's first frame (issue 18). A click selects on release, as before.
import { designerStore } from '../../store';

let pressed = false;
/** The pointer is pressed anywhere on the page (a pan, a drag, a selection box, a resize). */
let held = false;
let listening = false;

function listen() {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener(
    'pointerdown',
    (event) => {
      held = true;
      pressed = event.target instanceof Element && event.target.closest('.react-flow__node') !== null;
    },
    true,
  );
  const release = () => {
    held = false;
    if (!pressed) return;
    pressed = false;
    // Selectors run again: a selection held back while pressed shows now (a drag that moved nothing changes no
    // node on release). Before React Flow's own drop, which comes with the mouseup after this pointerup.
    designerStore.setState({});
  };
  window.addEventListener('pointerup', release, true);
  window.addEventListener('pointercancel', release, true);
}

// From the page's start: a drag that is the page's first gesture is seen too.
listen();

/** True while the pointer is pressed on a node of the canvas. */
export function pressedOnNode(): boolean {
  return pressed;
}

/** True while the pointer is pressed anywhere on the page: work that can wait (an autosave) waits for the release. */
export function pointerHeld(): boolean {
  return held;
}
