def load_consultations_demo() -> None:
    pass
