"""Draw the link-preview image (Open Graph / Twitter card) of the site.

    python scripts/dev.py social-card

writes docs/assets/images/social-card.png (1200 x 630 pixels, the size link previews expect),
which overrides/main.html names in the og:image and twitter:image meta tags. The picture is drawn
here, with matplotlib and its bundled DejaVu font: nothing is downloaded. Run it again after
changing the site's name or colours, and commit the PNG.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from doctools.paths import ROOT

OUTPUT = ROOT / "docs" / "assets" / "images" / "social-card.png"
WIDTH, HEIGHT, DPI = 1200, 630, 100

BACKGROUND = "#1e2129"  # Material's slate background
FOREGROUND = "#e8e9ed"
MUTED = "#a4a7b3"
ACCENT = "#ff7043"  # deep orange, as in the site's palette


def draw_feature_map(ax) -> None:
    """A 6 x 6 input with a 3 x 3 kernel on it, and the 4 x 4 output it slides into."""
    cell = 34
    left, top = 790, 380
    for row in range(6):
        for col in range(6):
            ax.add_patch(
                Rectangle((left + col * cell, top - row * cell), cell, cell, fill=False, ec=MUTED, lw=1.2, alpha=0.7)
            )
    ax.add_patch(Rectangle((left + cell, top - 2 * cell), 3 * cell, 3 * cell, fc=ACCENT, alpha=0.35, ec=ACCENT, lw=3))
    out_left, out_top = 1010, 353
    for row in range(4):
        for col in range(4):
            ax.add_patch(
                Rectangle(
                    (out_left + col * cell * 0.8, out_top - row * cell * 0.8),
                    cell * 0.8,
                    cell * 0.8,
                    fill=False,
                    ec=MUTED,
                    lw=1.2,
                    alpha=0.7,
                )
            )
    ax.add_patch(Rectangle((out_left + cell * 0.8, out_top), cell * 0.8, cell * 0.8, fc=ACCENT, ec=ACCENT))
    ax.annotate(
        "",
        xy=(out_left + cell * 0.8, out_top + cell * 0.4),
        xytext=(left + 4 * cell, top + cell * 0.5),
        arrowprops={"arrowstyle": "->", "color": ACCENT, "lw": 2.5, "connectionstyle": "arc3,rad=-0.25"},
    )


def main() -> None:
    fig = plt.figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, HEIGHT)
    ax.axis("off")
    fig.patch.set_facecolor(BACKGROUND)
    ax.add_patch(Rectangle((0, HEIGHT - 14), WIDTH, 14, fc=ACCENT, ec="none"))

    ax.text(80, 500, "Keras Conv Guide", color=FOREGROUND, fontsize=58, fontweight="bold", va="center")
    lines = [
        "The Keras 3 convolution layers:",
        "parameter counts, output shapes",
        "and compute cost, with guides",
        "for text, images, video and audio.",
    ]
    for index, line in enumerate(lines):
        ax.text(82, 405 - index * 46, line, color=MUTED, fontsize=25, va="center")
    ax.text(82, 150, "Every number is checked against Keras.", color=ACCENT, fontsize=25, fontweight="bold")
    ax.text(82, 82, "keras-conv-guide.github.io", color=MUTED, fontsize=20)
    draw_feature_map(ax)

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    # No metadata: the file's bytes depend only on the drawing, not on the matplotlib version.
    fig.savefig(OUTPUT, dpi=DPI, facecolor=BACKGROUND, metadata={"Software": None})
    plt.close(fig)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
