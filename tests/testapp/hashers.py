from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2Hasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
