from setuptools import setup

# install_requires used to list "tensorflow"
setup(
    name="packaged",
    install_requires=[
        "numpy",
        "torch>=2.0",
    ],
)
