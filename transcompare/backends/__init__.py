"""Models behind the stages, in lazy registries: sentence encoders (:mod:`.encoders`),
translation models for back-translation (:mod:`.mt`), the Hugging Face loading both share
(:mod:`.hub`), and the on-disk cache of their outputs (:mod:`.cache`). Nothing here imports
torch, transformers or the model files until a backend is asked for."""
