"""``python -m imr_nlp``: the ``imr-nlp`` command line."""

from .cli import main

if __name__ == "__main__":
    main()
