"""Where the model and evaluation scripts find things: the repository, its build, and the
shared corpora and scorer beside it (../shared). Imported by the scripts in this directory."""
import os

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
shared = os.path.join(os.path.dirname(root), 'shared')


def add_arguments(ap):
    """--newsidx, --corpora and --scorer, with their defaults."""
    ap.add_argument('--newsidx', default=os.path.join(root, 'build', 'newsidx'))
    ap.add_argument('--corpora', default=os.path.join(shared, 'corpora'),
                    help='directory holding trafilatura-eval/ and scrapinghub-aeb/')
    ap.add_argument('--scorer', default=os.path.join(shared, 'eval', 'score_extract.py'),
                    help="score_extract.py, whose text normalisation the labels use")
