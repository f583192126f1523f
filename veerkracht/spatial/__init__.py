"""From dwellings to the keys of every level: entrance, building, block, street, buurt…"""
