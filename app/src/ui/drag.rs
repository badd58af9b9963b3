//! Dragging with the pointer (mouse, pen, finger): one hook for every board and timeline.
//! A drag starts on a card's pointerdown; from then on the whole window follows the pointer,
//! so a card can leave its column. It counts as a move past a few pixels (less is a click,
//! which goes through); a mouse drags from anywhere on a card, a finger only from its grip,
//! so that touch still scrolls the board.

use leptos::ev::PointerEvent;
use leptos::prelude::*;

/// Pixels a pointer travels before a press becomes a drag.
const MOVE_THRESHOLD: i32 = 6;

/// A drag in progress: what is dragged, where the pointer went down and how far it went.
#[derive(Clone, Debug, PartialEq)]
pub struct Dragging<T> {
    pub item: T,
    pub start: (i32, i32),
    pub offset: (i32, i32),
    /// Past the few pixels that tell a drag from a click.
    pub moving: bool,
}

/// The drag of one board or timeline. Copy it into every card.
pub struct PointerDrag<T: Send + Sync + 'static> {
    current: RwSignal<Option<Dragging<T>>>,
    swallow_click: StoredValue<bool>,
}

impl<T: Send + Sync + 'static> Clone for PointerDrag<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for PointerDrag<T> {}

/// Starts following the window's pointer for this component's lifetime. `on_pointer` hears
/// where the pointer is while a drag moves (to show where it would land) and `None` when
/// the drag ends; `on_drop` gets the drag and the point where a moving drag was released.
pub fn use_pointer_drag<T>(
    on_pointer: impl Fn(Option<(i32, i32)>) + 'static,
    on_drop: impl Fn(Dragging<T>, (i32, i32)) + 'static,
) -> PointerDrag<T>
where
    T: Clone + Send + Sync + 'static,
{
    let drag = PointerDrag {
        current: RwSignal::new(None::<Dragging<T>>),
        swallow_click: StoredValue::new(false),
    };
    let on_pointer = std::rc::Rc::new(on_pointer);
    let follow = on_pointer.clone();
    let on_move = window_event_listener(leptos::ev::pointermove, move |event| {
        if drag.current.with_untracked(Option::is_none) {
            return;
        }
        let (x, y) = (event.client_x(), event.client_y());
        drag.current.update(|d| {
            if let Some(d) = d {
                d.offset = (x - d.start.0, y - d.start.1);
                d.moving |= d.offset.0.abs() + d.offset.1.abs() > MOVE_THRESHOLD;
            }
        });
        if drag
            .current
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.moving))
        {
            follow(Some((x, y)));
        }
    });
    let end = on_pointer.clone();
    let on_up = window_event_listener(leptos::ev::pointerup, move |event| {
        let Some(done) = drag.current.get_untracked() else {
            return;
        };
        drag.current.set(None);
        end(None);
        drag.swallow_click.set_value(done.moving);
        if done.moving {
            event.prevent_default();
            let at = (event.client_x(), event.client_y());
            on_drop(done, at);
        }
    });
    let on_cancel = window_event_listener(leptos::ev::pointercancel, move |_| {
        drag.current.set(None);
        on_pointer(None);
    });
    on_cleanup(move || {
        on_move.remove();
        on_up.remove();
        on_cancel.remove();
    });
    drag
}

impl<T: Clone + Send + Sync + 'static> PointerDrag<T> {
    /// Starts dragging `item` from a pointerdown: any mouse press with the main button, a
    /// touch or pen only from a grip (`from_grip`).
    pub fn start(self, item: T, event: &PointerEvent, from_grip: bool) {
        let mouse = event.pointer_type() == "mouse";
        if event.button() != 0 || !(mouse || from_grip) {
            return;
        }
        self.current.set(Some(Dragging {
            item,
            start: (event.client_x(), event.client_y()),
            offset: (0, 0),
            moving: false,
        }));
        if from_grip {
            event.prevent_default();
        }
    }

    /// Whether a drag is moving (tracked: for the board's "dragging" look).
    pub fn moving(self) -> bool {
        self.current.with(|d| d.as_ref().is_some_and(|d| d.moving))
    }

    /// The item of the moving drag and how far it has gone (tracked).
    pub fn moving_item(self) -> Option<(T, (i32, i32))> {
        self.current.with(|d| match d {
            Some(d) if d.moving => Some((d.item.clone(), d.offset)),
            _ => None,
        })
    }

    /// How far the moving drag of the item `is` has gone (tracked), for its transform.
    pub fn offset(self, is: impl Fn(&T) -> bool) -> Option<(i32, i32)> {
        self.current.with(|d| match d {
            Some(d) if d.moving && is(&d.item) => Some(d.offset),
            _ => None,
        })
    }

    /// The CSS transform that carries the item `is` along with the pointer.
    pub fn transform(self, is: impl Fn(&T) -> bool) -> String {
        self.offset(is)
            .map(|(x, y)| format!("translate({x}px, {y}px)"))
            .unwrap_or_default()
    }

    /// True once after a drag that moved: the click the release makes is not a click.
    pub fn swallows_click(self) -> bool {
        let swallow = self.swallow_click.get_value();
        self.swallow_click.set_value(false);
        swallow
    }
}
